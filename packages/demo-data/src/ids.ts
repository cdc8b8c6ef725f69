import type { Rng } from '@strata/core';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * An 18-digit resident ID number (GB 11643) with a valid ISO 7064 MOD 11-2 check digit.
 * The sequence number is odd for men and even for women, as on real cards.
 */
export function residentId(rng: Rng, region: string, birthDate: string, gender: 'F' | 'M'): string {
  let seq = rng.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
  if (seq === 0) seq = 2;
  const body = `${region}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(body[k]) * (ID_WEIGHTS[k] ?? 0);
  return body + ID_CHECK[sum % 11];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015) with valid check characters,
 * both the embedded organisation code's (GB 11714) and the code's own.
 * @param kind '91' for a company registered with market regulation, '12' for a public institution
 */
export function socialCreditCode(rng: Rng, region: string, kind: '91' | '12'): string {
  let org = '';
  let sum = 0;
  for (let k = 0; k < 8; k++) {
    const c = USCC_CHARS[rng.int(0, 9)] as string; // digits keep the organisation code simple
    org += c;
    sum += USCC_CHARS.indexOf(c) * (ORG_WEIGHTS[k] ?? 0);
  }
  const orgCheck = 11 - (sum % 11);
  org += orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
  const body = `${kind}${region}${org}`;
  let total = 0;
  for (let k = 0; k < 17; k++) {
    total += USCC_CHARS.indexOf(body[k] as string) * (USCC_WEIGHTS[k] ?? 0);
  }
  // An organisation code ending in 'X' cannot stand in a USCC ('X' is outside its alphabet): draw again.
  if (body.includes('X')) return socialCreditCode(rng, region, kind);
  const check = (31 - (total % 31)) % 31;
  return body + USCC_CHARS[check];
}

const PHONE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '180',
  '181',
  '189',
  '177',
  '199',
];

/** A mainland mobile number (11 digits). */
export function mobilePhone(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** Checks a resident ID number's check digit. */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(id[k]) * (ID_WEIGHTS[k] ?? 0);
  return ID_CHECK[sum % 11] === id[17];
}

/** Checks a unified social credit code's check character. */
export function isValidSocialCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  let total = 0;
  for (let k = 0; k < 17; k++) {
    const v = USCC_CHARS.indexOf(code[k] as string);
    if (v < 0) return false;
    total += v * (USCC_WEIGHTS[k] ?? 0);
  }
  return USCC_CHARS[(31 - (total % 31)) % 31] === code[17];
}
