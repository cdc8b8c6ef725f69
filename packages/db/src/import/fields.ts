// The checks of imported values against the catalogue (catalogue.ts): `convertValue` says why a
// value is refused, `compileField` is the fast checker the reading thread runs, `rowSchema` the
// same rules in zod.
import { z } from 'zod';
import {
  CODE,
  IMPORT_FIELDS,
  PLAIN_TEXT,
  type FieldSpec,
  type ImportKind,
  type IssueCategory,
} from './catalogue.js';
import { parseDate, parsePeriod, type DateFormat } from './dates.js';

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
