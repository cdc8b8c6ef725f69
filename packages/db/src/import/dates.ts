/** The date layouts an import reads. */
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'YYMMDD',
  'YYYY.MM.DD',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const PATTERNS: Readonly<Record<DateFormat, RegExp>> = {
  'YYYY-MM-DD': /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  'YYYY/MM/DD': /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  'YYYY.MM.DD': /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  YYYYMMDD: /^(\d{4})(\d{2})(\d{2})$/,
  YYMMDD: /^(\d{2})(\d{2})(\d{2})$/,
};

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads a date in one layout as ISO `YYYY-MM-DD`, or null when it is not a real date in that
 * layout (2026-02-30 is not). A two-digit year is the latest year ending in those digits that is
 * not after `pivotYear` (in 2026: 26 → 2026, 27 → 1927, 96 → 1996).
 */
export function parseDate(value: string, format: DateFormat, pivotYear: number): string | null {
  const m = PATTERNS[format].exec(value);
  if (!m) return null;
  let year = Number(m[1]);
  if (format === 'YYMMDD') {
    const century = Math.floor(pivotYear / 100) * 100;
    year = century + year > pivotYear ? century - 100 + year : century + year;
  }
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : (DAYS[month - 1] as number))) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The layout that reads every sample (empty ones ignored), trying the unambiguous ones first;
 * failing that, the one that reads the most; undefined when none reads any.
 */
export function detectDateFormat(
  samples: readonly string[],
  pivotYear: number,
): DateFormat | undefined {
  const values = samples.filter((s) => s !== '');
  if (values.length === 0) return undefined;
  const all = DATE_FORMATS.find((f) => values.every((v) => parseDate(v, f, pivotYear) !== null));
  if (all !== undefined) return all;
  // a few bad values must not hide the layout of the rest: take the one that reads the most
  let best: DateFormat | undefined;
  let most = 0;
  for (const f of DATE_FORMATS) {
    const n = values.filter((v) => parseDate(v, f, pivotYear) !== null).length;
    if (n > most) {
      best = f;
      most = n;
    }
  }
  return best;
}

/** Reads a month as `YYYY-MM` from `YYYY-MM`, `YYYYMM`, `YYYY/MM` or `YYYY-MM-DD`; null if not one. */
export function parsePeriod(value: string): string | null {
  const m = /^(\d{4})[-/.]?(\d{2})(?:[-/.]?(?:0[1-9]|[12]\d|3[01]))?$/.exec(value);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-${m[2]}`;
}
