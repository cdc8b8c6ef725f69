import { CHANNELS, MOT_EVENT_TYPES } from '@strata/core';
import { z } from 'zod';
import { parseDate, parsePeriod, type DateFormat } from './dates.js';

/** What can be imported. */
export const IMPORT_KINDS = [
  'relationship_managers',
  'customers',
  'monthly_metrics',
  'events',
  'outcomes',
  'consents',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Why a value was refused; the data-quality report counts each. */
export type IssueCategory =
  'missing' | 'invalid' | 'out_of_range' | 'duplicate' | 'unknown_branch' | 'orphan' | 'malformed';

/** The kinds of value a field holds. */
export type FieldType =
  | {
      readonly type: 'text';
      readonly max: number;
      readonly pattern?: RegExp;
      readonly hint?: string;
      /** The hint in Chinese, for the dashboard. */
      readonly hintZh?: string;
    }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'real'; readonly min: number; readonly max: number }
  | { readonly type: 'bool' }
  /** A calendar day; `max: 'today'` refuses days after the import's date. */
  | { readonly type: 'date'; readonly min: string; readonly max: 'today' | string }
  | { readonly type: 'period' }
  /** A reference resolved against the database: an org unit or RM code, a customer number. */
  | { readonly type: 'org_unit' | 'rm' | 'customer' };

/** One importable field: where it goes and what it must hold. */
export interface FieldSpec {
  /** The field's name, as in the demo bank's CSV headers. */
  readonly name: string;
  /** The database column it is written to. */
  readonly column: string;
  readonly required: boolean;
  readonly of: FieldType;
  /** Other headers that map to it automatically (Chinese headers of common core-banking exports). */
  readonly aliases?: readonly string[];
  /** Personal data: masked in error files and reports. */
  readonly personal?: 'name' | 'id' | 'phone';
}

const MONEY = { type: 'real', min: 0, max: 1e13 } as const;
const COUNT = { type: 'int', min: 0, max: 1e7 } as const;
const SIGNED_MONEY = { type: 'real', min: -1e13, max: 1e13 } as const;
const CODE = /^[\p{L}\p{N}_\-.:/]+$/u;
const PLAIN_TEXT = /^[^\p{Cc}]*$/u;
const DAY = { type: 'date', min: '1900-01-01', max: 'today' } as const;

const f = (
  name: string,
  column: string,
  required: boolean,
  of: FieldType,
  extra: Partial<Pick<FieldSpec, 'aliases' | 'personal'>> = {},
): FieldSpec => ({ name, column, required, of, ...extra });

/** The fields of each kind of import; the first is the key an import upserts by. */
export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly FieldSpec[]>> = {
  relationship_managers: [
    f(
      'code',
      'code',
      true,
      { type: 'text', max: 32, pattern: CODE },
      { aliases: ['客户经理号', '工号'] },
    ),
    f('name', 'name', true, { type: 'text', max: 100, pattern: PLAIN_TEXT }, { aliases: ['姓名'] }),
    f('org_unit_code', 'org_unit_id', true, { type: 'org_unit' }, { aliases: ['机构号'] }),
    f(
      'line',
      'line',
      true,
      { type: 'enum', values: ['retail', 'corporate'] },
      { aliases: ['条线'] },
    ),
  ],
  customers: [
    f(
      'customer_id',
      'external_id',
      true,
      {
        type: 'text',
        max: 64,
        pattern: CODE,
        hint: 'letters, digits and _-.:/',
        hintZh: '字母、数字及 _-.:/',
      },
      { aliases: ['客户号', '客户编号', 'cif'] },
    ),
    f(
      'kind',
      'kind',
      true,
      { type: 'enum', values: ['retail', 'corporate'] },
      { aliases: ['客户类型'] },
    ),
    f(
      'name',
      'name',
      true,
      {
        type: 'text',
        max: 200,
        pattern: PLAIN_TEXT,
        hint: 'no control characters',
        hintZh: '不含控制字符',
      },
      { aliases: ['姓名', '客户名称'], personal: 'name' },
    ),
    f(
      'id_number',
      'id_number',
      true,
      {
        type: 'text',
        max: 32,
        pattern: /^[0-9A-Za-z]{6,32}$/,
        hint: '6 to 32 letters or digits',
        hintZh: '6 至 32 位字母或数字',
      },
      { aliases: ['证件号码', '身份证号'], personal: 'id' },
    ),
    f(
      'phone',
      'phone',
      false,
      {
        type: 'text',
        max: 20,
        pattern: /^\+?[0-9][0-9 -]{5,19}$/,
        hint: 'digits, optionally +, spaces or -',
        hintZh: '数字，可含 +、空格或 -',
      },
      { aliases: ['手机号', '联系电话'], personal: 'phone' },
    ),
    f(
      'org_unit_code',
      'org_unit_id',
      true,
      { type: 'org_unit' },
      { aliases: ['机构号', '归属机构'] },
    ),
    f('rm_code', 'rm_id', false, { type: 'rm' }, { aliases: ['客户经理', '客户经理号'] }),
    f(
      'linked_on',
      'linked_on',
      true,
      { type: 'date', min: '1950-01-01', max: 'today' },
      { aliases: ['建立关系日期'] },
    ),
    f(
      'opened_on',
      'opened_on',
      false,
      { type: 'date', min: '1950-01-01', max: 'today' },
      { aliases: ['开户日期'] },
    ),
    f(
      'closed_on',
      'closed_on',
      false,
      { type: 'date', min: '1950-01-01', max: 'today' },
      { aliases: ['销户日期'] },
    ),
    f('funded_on', 'funded_on', false, { type: 'date', min: '1950-01-01', max: 'today' }),
    f('gender', 'gender', false, { type: 'enum', values: ['F', 'M'] }, { aliases: ['性别'] }),
    f('birth_date', 'birth_date', false, DAY, { aliases: ['出生日期'] }),
    f('life_stage', 'life_stage', false, { type: 'text', max: 32, pattern: CODE }),
    f(
      'occupation',
      'occupation',
      false,
      { type: 'text', max: 64, pattern: PLAIN_TEXT },
      { aliases: ['职业'] },
    ),
    f('payroll_employer_id', 'payroll_employer_id', false, { type: 'customer' }),
    f('has_mortgage', 'has_mortgage', false, { type: 'bool' }),
    f('has_credit_card', 'has_credit_card', false, { type: 'bool' }),
    f(
      'industry_code',
      'industry_code',
      false,
      { type: 'text', max: 16, pattern: CODE },
      { aliases: ['行业代码'] },
    ),
    f('employees', 'employees', false, COUNT),
    f('revenue', 'revenue', false, MONEY),
    f('total_assets', 'total_assets', false, MONEY),
    f('enterprise_size', 'enterprise_size', false, {
      type: 'enum',
      values: ['large', 'medium', 'small', 'micro'],
    }),
    f('listed', 'listed', false, { type: 'bool' }),
    f('institution_type', 'institution_type', false, { type: 'text', max: 32, pattern: CODE }),
    f('basic_account', 'basic_account', false, { type: 'bool' }),
    f('payroll_employer', 'payroll_employer', false, { type: 'bool' }),
    f('chain_role', 'chain_role', false, {
      type: 'enum',
      values: ['anchor', 'upstream', 'downstream'],
    }),
    f('chain_anchor_id', 'chain_anchor_id', false, { type: 'customer' }),
  ],
  monthly_metrics: [
    f('customer_id', 'customer_id', true, { type: 'customer' }, { aliases: ['客户号'] }),
    f('period', 'period', true, { type: 'period' }, { aliases: ['月份', '数据月份'] }),
    ...(
      [
        ['aum_avg', MONEY, ['月日均aum']],
        ['aum_end', MONEY, []],
        ['deposits_avg', MONEY, []],
        ['demand_deposits', MONEY, []],
        ['time_deposits', MONEY, []],
        ['wealth', MONEY, []],
        ['funds', MONEY, []],
        ['insurance', MONEY, []],
        ['bonds', MONEY, []],
        ['other_assets', MONEY, []],
        ['loans', MONEY, []],
        ['card_spend', MONEY, []],
        ['txn_in_count', COUNT, []],
        ['txn_in_amount', MONEY, []],
        ['txn_out_count', COUNT, []],
        ['txn_out_amount', MONEY, []],
        ['active_txn_count', COUNT, []],
        ['digital_logins', COUNT, []],
        ['product_types', { type: 'int', min: 0, max: 100 }, []],
        ['fee_income', SIGNED_MONEY, []],
      ] as const
    ).map(([name, of, aliases]) => f(name, name, true, of, { aliases })),
    f('last_txn_on', 'last_txn_on', false, DAY),
    ...(
      [
        ['settlement_deposits', MONEY],
        ['high_cost_deposits', MONEY],
        ['settlement_flow', MONEY],
        ['credit_line', MONEY],
        ['payroll_headcount', COUNT],
      ] as const
    ).map(([name, of]) => f(name, name, true, of)),
  ],
  events: [
    f(
      'event_id',
      'external_id',
      true,
      { type: 'text', max: 64, pattern: CODE },
      { aliases: ['事件编号'] },
    ),
    f('customer_id', 'customer_id', true, { type: 'customer' }, { aliases: ['客户号'] }),
    f('type', 'type', true, { type: 'enum', values: MOT_EVENT_TYPES }, { aliases: ['事件类型'] }),
    f('occurred_on', 'occurred_on', true, DAY, { aliases: ['发生日期'] }),
    f('amount', 'amount', false, SIGNED_MONEY, { aliases: ['金额'] }),
  ],
  consents: [
    f('customer_id', 'customer_id', true, { type: 'customer' }, { aliases: ['客户号'] }),
    f('channel', 'channel', true, { type: 'enum', values: CHANNELS }, { aliases: ['渠道'] }),
    f(
      'consent',
      'consent',
      true,
      { type: 'enum', values: ['granted', 'withdrawn', 'unknown'] },
      { aliases: ['授权状态'] },
    ),
    f('opted_out', 'opted_out', false, { type: 'bool' }, { aliases: ['退订'] }),
    f(
      'source',
      'source',
      true,
      { type: 'text', max: 64, pattern: PLAIN_TEXT },
      { aliases: ['来源'] },
    ),
    f('updated_on', 'updated_at', true, DAY, { aliases: ['更新日期'] }),
  ],
  outcomes: [
    f('outcome_id', 'external_id', true, { type: 'text', max: 64, pattern: CODE }),
    f('customer_id', 'customer_id', true, { type: 'customer' }, { aliases: ['客户号'] }),
    f(
      'campaign_code',
      'campaign_code',
      true,
      { type: 'text', max: 64, pattern: CODE },
      { aliases: ['活动编号'] },
    ),
    f('channel', 'channel', true, { type: 'enum', values: CHANNELS }, { aliases: ['渠道'] }),
    f('contacted_on', 'contacted_on', true, DAY, { aliases: ['触达日期'] }),
    f('responded', 'responded', false, { type: 'bool' }, { aliases: ['响应'] }),
    f('converted', 'converted', false, { type: 'bool' }, { aliases: ['成交'] }),
    f('declined', 'declined', false, { type: 'bool' }, { aliases: ['拒绝'] }),
    f('amount', 'amount', false, MONEY, { aliases: ['金额'] }),
    f(
      'feedback',
      'feedback',
      false,
      { type: 'text', max: 500, pattern: PLAIN_TEXT },
      { aliases: ['反馈'] },
    ),
  ],
};

/** Why a value was refused, as a code with its figures, for clients to say in their language. */
export type ReasonCode =
  | 'required'
  | 'too_long'
  | 'not_valid'
  | 'one_of'
  | 'not_integer'
  | 'not_number'
  | 'out_of_range'
  | 'not_bool'
  | 'date_layout'
  | 'date_range'
  | 'not_month'
  | 'month_range'
  | 'no_org_unit'
  | 'no_rm'
  | 'no_customer'
  | 'duplicate'
  | 'field_count'
  | 'malformed';

/** A refused value: the field, its category, the reason in English, and the reason's code. */
export interface FieldIssue {
  readonly field: string;
  readonly category: IssueCategory;
  readonly reason: string;
  readonly code?: ReasonCode;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** The issue of a required field left empty. */
export const REQUIRED = (field: string): FieldIssue => ({
  field,
  category: 'missing',
  reason: 'required, but empty',
  code: 'required',
});

const TRUE = new Set(['1', 'true', 'TRUE', 'True', 't', 'T', 'y', 'Y', 'yes', 'YES', 'Yes', '是']);
const FALSE = new Set(['0', 'false', 'FALSE', 'False', 'f', 'F', 'n', 'N', 'no', 'NO', 'No', '否']);

/**
 * A plain decimal number (`-12`, `3.5`, `.5`, `1e6`); not hex, not `Infinity`, no spaces.
 * Number() alone accepts all of those.
 */
function numeric(v: string): number | undefined {
  const c0 = v.charCodeAt(0);
  const cl = v.charCodeAt(v.length - 1);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46)) return undefined;
  if (!((cl >= 48 && cl <= 57) || cl === 46)) return undefined;
  if (c0 === 48 && v.length > 1) {
    const c1 = v.charCodeAt(1) | 32;
    if (c1 === 120 || c1 === 98 || c1 === 111) return undefined; // 0x 0b 0o
  }
  const x = Number(v);
  return Number.isFinite(x) ? x : undefined;
}

/** What a checker needs beyond the value: date layouts, today, and reference lookups. */
export interface CheckContext {
  readonly today: string;
  readonly pivotYear: number;
  /** The layout of each date field (by field name); ISO when absent. */
  readonly dateFormats: Readonly<Record<string, DateFormat>>;
  readonly orgUnit: (code: string) => number | undefined;
  readonly rm: (code: string) => number | undefined;
  readonly customer: (externalId: string) => number | undefined;
}

export type Value = string | number | null;

/**
 * Converts one raw value to what the database stores, or says why it cannot. Reading the field
 * specs once per import, not per row, keeps this on the hot path without a schema library's
 * per-object overhead; `rowSchema` declares the same rules in zod, and a property test checks
 * the two agree.
 */
export function convertValue(
  spec: FieldSpec,
  raw: string,
  ctx: CheckContext,
): { value: Value } | FieldIssue {
  const v = raw;
  if (v === '') {
    if (spec.required) return REQUIRED(spec.name);
    return { value: spec.of.type === 'bool' ? 0 : null };
  }
  const of = spec.of;
  switch (of.type) {
    case 'text':
      if (v.length > of.max)
        return {
          field: spec.name,
          category: 'out_of_range',
          reason: `longer than ${of.max} characters (${v.length})`,
          code: 'too_long',
          params: { max: of.max, length: v.length },
        };
      if (of.pattern && !of.pattern.test(v))
        return {
          field: spec.name,
          category: 'invalid',
          reason: `not a valid ${spec.name}${of.hint ? ` (${of.hint})` : ''}`,
          code: 'not_valid',
          params: {
            hint: of.hint ? ` (${of.hint})` : '',
            hintZh: of.hintZh ? `（${of.hintZh}）` : '',
          },
        };
      return { value: v };
    case 'enum':
      if (!of.values.includes(v))
        return {
          field: spec.name,
          category: 'invalid',
          reason: `must be one of ${of.values.join(', ')}`,
          code: 'one_of',
          params: { values: of.values.join(', ') },
        };
      return { value: v };
    case 'int':
    case 'real': {
      const x = numeric(v);
      if (x === undefined)
        return {
          field: spec.name,
          category: 'invalid',
          reason: of.type === 'int' ? 'not a whole number' : 'not a number',
          code: of.type === 'int' ? 'not_integer' : 'not_number',
        };
      if (of.type === 'int' && !Number.isInteger(x))
        return {
          field: spec.name,
          category: 'invalid',
          reason: 'not a whole number',
          code: 'not_integer',
        };
      if (x < of.min || x > of.max)
        return {
          field: spec.name,
          category: 'out_of_range',
          reason: `outside ${of.min} to ${of.max}`,
          code: 'out_of_range',
          params: { min: of.min, max: of.max },
        };
      return { value: x };
    }
    case 'bool':
      if (TRUE.has(v)) return { value: 1 };
      if (FALSE.has(v)) return { value: 0 };
      return {
        field: spec.name,
        category: 'invalid',
        reason: 'not a yes/no value (1/0, true/false, Y/N, 是/否)',
        code: 'not_bool',
      };
    case 'date': {
      const format = ctx.dateFormats[spec.name] ?? 'YYYY-MM-DD';
      const day = parseDate(v, format, ctx.pivotYear);
      if (day === null)
        return {
          field: spec.name,
          category: 'invalid',
          reason: `not a date in the layout ${format}`,
          code: 'date_layout',
          params: { format },
        };
      const max = of.max === 'today' ? ctx.today : of.max;
      if (day < of.min || day > max)
        return {
          field: spec.name,
          category: 'out_of_range',
          reason: `${day} is outside ${of.min} to ${max}`,
          code: 'date_range',
          params: { value: day, min: of.min, max },
        };
      return { value: day };
    }
    case 'period': {
      const p = parsePeriod(v);
      if (p === null)
        return {
          field: spec.name,
          category: 'invalid',
          reason: 'not a month (YYYY-MM or YYYYMM)',
          code: 'not_month',
        };
      if (p < '1990-01' || p > ctx.today.slice(0, 7))
        return {
          field: spec.name,
          category: 'out_of_range',
          reason: `${p} is outside 1990-01 to ${ctx.today.slice(0, 7)}`,
          code: 'month_range',
          params: { value: p, min: '1990-01', max: ctx.today.slice(0, 7) },
        };
      return { value: p };
    }
    case 'org_unit': {
      const id = ctx.orgUnit(v);
      if (id === undefined)
        return {
          field: spec.name,
          category: 'unknown_branch',
          reason: `no org unit with code ${v}`,
          code: 'no_org_unit',
          params: { value: v },
        };
      return { value: id };
    }
    case 'rm': {
      const id = ctx.rm(v);
      if (id === undefined)
        return {
          field: spec.name,
          category: 'unknown_branch',
          reason: `no relationship manager with code ${v}`,
          code: 'no_rm',
          params: { value: v },
        };
      return { value: id };
    }
    case 'customer': {
      const id = ctx.customer(v);
      if (id === undefined)
        return {
          field: spec.name,
          category: 'orphan',
          reason: `no customer ${v} (import the customer first)`,
          code: 'no_customer',
          params: { value: v },
        };
      return { value: id };
    }
  }
}

/** What a compiled checker returns for a value it refuses; `convertValue` then says why. */
export const REFUSED: unique symbol = Symbol('refused');

const ASCII_CODE = /^[A-Za-z0-9_\-.:/]+$/;
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** A calendar day in ISO layout, checked without allocating; the same verdict as parseDate. */
function isoDay(v: string): boolean {
  if (v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    year = year * 10 + d;
  }
  const m1 = v.charCodeAt(5) - 48;
  const m2 = v.charCodeAt(6) - 48;
  const d1 = v.charCodeAt(8) - 48;
  const d2 = v.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * One field's checker, specialised once per import: the value the database stores, or REFUSED
 * (ask `convertValue` for the reason). Same verdicts as `convertValue` (a property test holds
 * them together), without allocating on the common path.
 */
export function compileField(
  spec: FieldSpec,
  ctx: CheckContext,
): (raw: string) => Value | typeof REFUSED {
  const required = spec.required;
  const emptyValue: Value | typeof REFUSED = required
    ? REFUSED
    : spec.of.type === 'bool'
      ? 0
      : null;
  const of = spec.of;
  switch (of.type) {
    case 'text': {
      const { max, pattern } = of;
      const fast = pattern === CODE ? ASCII_CODE : undefined;
      const plain = pattern === PLAIN_TEXT;
      return (v) => {
        if (v === '') return emptyValue;
        if (v.length > max) return REFUSED;
        if (plain) return CONTROL.test(v) ? REFUSED : v;
        if (pattern === undefined || (fast !== undefined && fast.test(v)) || pattern.test(v))
          return v;
        return REFUSED;
      };
    }
    case 'enum': {
      const values = new Set(of.values);
      return (v) => (v === '' ? emptyValue : values.has(v) ? v : REFUSED);
    }
    case 'int':
    case 'real': {
      const { min, max } = of;
      const int = of.type === 'int';
      return (v) => {
        if (v === '') return emptyValue;
        const x = numeric(v);
        if (x === undefined || (int && !Number.isInteger(x)) || x < min || x > max) return REFUSED;
        return x;
      };
    }
    case 'bool':
      return (v) => (v === '' ? emptyValue : TRUE.has(v) ? 1 : FALSE.has(v) ? 0 : REFUSED);
    case 'date': {
      const format = ctx.dateFormats[spec.name] ?? 'YYYY-MM-DD';
      const min = of.min;
      const max = of.max === 'today' ? ctx.today : of.max;
      return (v) => {
        if (v === '') return emptyValue;
        const day = format === 'YYYY-MM-DD' && isoDay(v) ? v : parseDate(v, format, ctx.pivotYear);
        if (day === null || day < min || day > max) return REFUSED;
        return day;
      };
    }
    case 'org_unit':
    case 'rm':
    case 'customer': {
      const lookup =
        of.type === 'org_unit' ? ctx.orgUnit : of.type === 'rm' ? ctx.rm : ctx.customer;
      return (v) => (v === '' ? emptyValue : (lookup(v) ?? REFUSED));
    }
    case 'period':
      return (v) => {
        if (v === '') return emptyValue;
        const p = parsePeriod(v);
        if (p === null || p < '1990-01' || p > ctx.today.slice(0, 7)) return REFUSED;
        return p;
      };
  }
}

/**
 * The same rules as a zod schema over a row of converted values (references already resolved to
 * ids): for API clients, documentation, and the property test that holds `convertValue` to it.
 */
export function rowSchema(kind: ImportKind, today: string): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of IMPORT_FIELDS[kind]) {
    const of = spec.of;
    let t: z.ZodType;
    switch (of.type) {
      case 'text': {
        let s = z.string().min(1).max(of.max);
        if (of.pattern) s = s.regex(of.pattern);
        t = s;
        break;
      }
      case 'enum':
        t = z.enum(of.values as [string, ...string[]]);
        break;
      case 'int':
        t = z.number().int().min(of.min).max(of.max);
        break;
      case 'real':
        t = z.number().min(of.min).max(of.max);
        break;
      case 'bool':
        t = z.union([z.literal(0), z.literal(1)]);
        break;
      case 'date':
        {
          const min = of.min;
          const max = of.max === 'today' ? today : of.max;
          t = z.iso.date().refine((d) => d >= min && d <= max);
        }
        break;
      case 'period':
        t = z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
          .min(7)
          .max(7)
          .refine((p) => p >= '1990-01' && p <= today.slice(0, 7));
        break;
      default:
        t = z.number().int().positive();
    }
    shape[spec.name] = spec.required ? t : spec.of.type === 'bool' ? t : t.nullable();
  }
  return z.object(shape);
}
