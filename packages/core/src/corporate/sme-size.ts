import type { Localized } from '../util/i18n.js';

/** Enterprise size under the 2011 SME standard (工信部联企业〔2011〕300号). */
export type EnterpriseSize = 'large' | 'medium' | 'small' | 'micro';

export const ENTERPRISE_SIZE_LABELS: Readonly<Record<EnterpriseSize, Localized>> = {
  large: { 'zh-CN': '大型', en: 'Large' },
  medium: { 'zh-CN': '中型', en: 'Medium' },
  small: { 'zh-CN': '小型', en: 'Small' },
  micro: { 'zh-CN': '微型', en: 'Micro' },
};

/** The industry lines of the 2011 standard, each with its own thresholds. */
export type SmeIndustry =
  | 'agriculture'
  | 'industry'
  | 'construction'
  | 'wholesale'
  | 'retail'
  | 'transport'
  | 'warehousing'
  | 'postal'
  | 'accommodation'
  | 'catering'
  | 'information'
  | 'software'
  | 'real_estate'
  | 'property_management'
  | 'leasing_business'
  | 'other';

type Measure = 'employees' | 'revenue' | 'assets';
/** A size band: the firm must reach every listed floor (units: persons, RMB). */
type Floors = Partial<Record<Measure, number>>;

/** Thresholds per industry: a firm is large / medium / small when it reaches every floor of that band. */
export interface SmeRule {
  readonly large: Floors;
  readonly medium: Floors;
  readonly small: Floors;
}

const W = 10_000; // 万元

/**
 * The thresholds of the 2011 standard. "Large" is the complement of its SME ceiling: the
 * standard calls a firm SME when it is below *either* ceiling (e.g. industry: fewer than 1000
 * staff *or* revenue under 400M), so a large firm reaches both.
 */
export const SME_RULES_2011: Readonly<Record<SmeIndustry, SmeRule>> = {
  agriculture: {
    large: { revenue: 20_000 * W },
    medium: { revenue: 500 * W },
    small: { revenue: 50 * W },
  },
  industry: {
    large: { employees: 1000, revenue: 40_000 * W },
    medium: { employees: 300, revenue: 2000 * W },
    small: { employees: 20, revenue: 300 * W },
  },
  construction: {
    large: { revenue: 80_000 * W, assets: 80_000 * W },
    medium: { revenue: 6000 * W, assets: 5000 * W },
    small: { revenue: 300 * W, assets: 300 * W },
  },
  wholesale: {
    large: { employees: 200, revenue: 40_000 * W },
    medium: { employees: 20, revenue: 5000 * W },
    small: { employees: 5, revenue: 1000 * W },
  },
  retail: {
    large: { employees: 300, revenue: 20_000 * W },
    medium: { employees: 50, revenue: 500 * W },
    small: { employees: 10, revenue: 100 * W },
  },
  transport: {
    large: { employees: 1000, revenue: 30_000 * W },
    medium: { employees: 300, revenue: 3000 * W },
    small: { employees: 20, revenue: 200 * W },
  },
  warehousing: {
    large: { employees: 200, revenue: 30_000 * W },
    medium: { employees: 100, revenue: 1000 * W },
    small: { employees: 20, revenue: 100 * W },
  },
  postal: {
    large: { employees: 1000, revenue: 30_000 * W },
    medium: { employees: 300, revenue: 2000 * W },
    small: { employees: 20, revenue: 100 * W },
  },
  accommodation: {
    large: { employees: 300, revenue: 10_000 * W },
    medium: { employees: 100, revenue: 2000 * W },
    small: { employees: 10, revenue: 100 * W },
  },
  catering: {
    large: { employees: 300, revenue: 10_000 * W },
    medium: { employees: 100, revenue: 2000 * W },
    small: { employees: 10, revenue: 100 * W },
  },
  information: {
    large: { employees: 2000, revenue: 100_000 * W },
    medium: { employees: 100, revenue: 1000 * W },
    small: { employees: 10, revenue: 100 * W },
  },
  software: {
    large: { employees: 300, revenue: 10_000 * W },
    medium: { employees: 100, revenue: 1000 * W },
    small: { employees: 10, revenue: 50 * W },
  },
  real_estate: {
    large: { revenue: 200_000 * W, assets: 10_000 * W },
    medium: { revenue: 1000 * W, assets: 5000 * W },
    small: { revenue: 100 * W, assets: 2000 * W },
  },
  property_management: {
    large: { employees: 1000, revenue: 5000 * W },
    medium: { employees: 300, revenue: 1000 * W },
    small: { employees: 100, revenue: 500 * W },
  },
  leasing_business: {
    large: { employees: 300, assets: 120_000 * W },
    medium: { employees: 100, assets: 8000 * W },
    small: { employees: 10, assets: 100 * W },
  },
  other: { large: { employees: 300 }, medium: { employees: 100 }, small: { employees: 10 } },
};

/**
 * The 2011 standard's industry line for a GB/T 4754-2017 code (section letter plus up to
 * four digits, e.g. `'C3670'`, `'K7020'`, `'F52'`). Unlisted industries fall in `other`.
 */
export function smeIndustryOf(code: string): SmeIndustry {
  const section = code.charAt(0).toUpperCase();
  const digits = code.slice(1);
  const division = Number(digits.slice(0, 2));
  switch (section) {
    case 'A':
      return 'agriculture';
    case 'B':
    case 'C':
    case 'D':
      return 'industry';
    case 'E':
      return 'construction';
    case 'F':
      return division === 51 ? 'wholesale' : 'retail';
    case 'G':
      if (division === 59) return 'warehousing';
      if (division === 60) return 'postal';
      return 'transport';
    case 'H':
      return division === 61 ? 'accommodation' : 'catering';
    case 'I':
      return division === 65 ? 'software' : 'information';
    case 'K':
      if (digits.startsWith('702')) return 'property_management';
      if (digits.startsWith('701')) return 'real_estate';
      return 'other';
    case 'L':
      return 'leasing_business';
    default:
      return 'other';
  }
}

/** What sizing reads of a firm. Money in RMB. */
export interface FirmMeasures {
  readonly employees: number;
  readonly revenue: number;
  readonly assets?: number;
}

function reaches(firm: FirmMeasures, floors: Floors): boolean {
  if (floors.employees !== undefined && !(firm.employees >= floors.employees)) return false;
  if (floors.revenue !== undefined && !(firm.revenue >= floors.revenue)) return false;
  if (floors.assets !== undefined && !((firm.assets ?? 0) >= floors.assets)) return false;
  return true;
}

/**
 * The size of a firm under the 2011 SME standard.
 * @example enterpriseSize('industry', { employees: 350, revenue: 25_000_000 }) // 'medium'
 */
export function enterpriseSize(
  industry: SmeIndustry,
  firm: FirmMeasures,
  rules: Readonly<Record<SmeIndustry, SmeRule>> = SME_RULES_2011,
): EnterpriseSize {
  const rule = rules[industry];
  if (reaches(firm, rule.large)) return 'large';
  if (reaches(firm, rule.medium)) return 'medium';
  if (reaches(firm, rule.small)) return 'small';
  return 'micro';
}
