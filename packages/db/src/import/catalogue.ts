// The catalogue of what can be imported: each kind's fields, the column each is written to, and
// what it must hold. The checks that apply it are in fields.ts.
import { CHANNELS, MOT_EVENT_TYPES } from '@strata/core';

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
/** A code: letters, digits and `_-.:/` (compileField checks the ASCII ones fast). */
export const CODE = /^[\p{L}\p{N}_\-.:/]+$/u;
/** Text without control characters. */
export const PLAIN_TEXT = /^[^\p{Cc}]*$/u;
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
