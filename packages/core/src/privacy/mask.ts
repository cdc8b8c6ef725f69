/**
 * Masking of personal data, by default everywhere (DOMAIN.md; JR/T 0171-2020): a phone shows
 * its first 3 and last 4 digits, an ID number its first 6 and last 4 (or first 1 and last 1),
 * a person's name only the surname. Unmasking is a permission, a reason and an audit record,
 * not a function here.
 */

/** Two-character surnames (复姓) that keep both characters when a name is masked. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '南宫',
  '百里',
  '呼延',
];

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/** Keeps the first `head` and last `tail` characters, stars in between (all stars if too short). */
function keep(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return stars(chars.length);
  return (
    chars.slice(0, head).join('') +
    stars(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

/**
 * A person's name as its surname and a star per other character: 王小明 → 王**, 欧阳娜娜 → 欧阳**.
 * A Latin-script name keeps its first word: "Li Wei" → "Li ***".
 */
export function maskName(name: string): string {
  const text = name.trim();
  if (text === '') return '';
  if (/^[\p{Script=Latin}\s.'-]+$/u.test(text)) {
    const [first, ...rest] = text.split(/\s+/);
    return rest.length === 0
      ? keep(first ?? '', 1, 0)
      : `${first} ${rest.map((w) => stars([...w].length)).join(' ')}`;
  }
  const chars = [...text];
  const surname =
    COMPOUND_SURNAMES.includes(chars.slice(0, 2).join('')) && chars.length > 2 ? 2 : 1;
  return chars.slice(0, surname).join('') + stars(chars.length - surname);
}

/** A resident ID number: first 6 and last 4 (`'6-4'`, default) or first 1 and last 1 (`'1-1'`). */
export function maskIdNumber(id: string, style: '6-4' | '1-1' = '6-4'): string {
  const text = id.trim();
  return style === '6-4' ? keep(text, 6, 4) : keep(text, 1, 1);
}

/** A phone number: first 3 and last 4 digits, e.g. 138****5678. */
export function maskPhone(phone: string): string {
  return keep(phone.replace(/[\s-]/g, ''), 3, 4);
}

/** An account or card number: first 6 and last 4, e.g. 622202********1234. */
export function maskAccount(account: string): string {
  return keep(account.replace(/\s/g, ''), 6, 4);
}
