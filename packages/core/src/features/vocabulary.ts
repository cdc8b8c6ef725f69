import type { Localized } from '../util/i18n.js';

// The vocabulary features are written in: the monthly metrics and customer attributes they
// read, and the shapes of their derivations. The features themselves are in catalog.ts.

/** Monthly metrics the features read (columns of the monthly snapshot). */
export const METRICS = [
  'aum_avg',
  'deposits_avg',
  'wealth',
  'funds',
  'insurance',
  'loans',
  'card_spend',
  'txn_in_amount',
  'txn_out_amount',
  'active_txn_count',
  'digital_logins',
  'product_types',
  'fee_income',
  'settlement_deposits',
  'high_cost_deposits',
  'settlement_flow',
  'payroll_headcount',
] as const;
export type Metric = (typeof METRICS)[number];

/** Metrics whose relative change over N months a rule may test ("trend"). */
export const TREND_METRICS = [
  'aum_avg',
  'deposits_avg',
  'wealth',
  'product_types',
  'active_txn_count',
  'digital_logins',
  'settlement_flow',
  'fee_income',
] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

/** Per-customer attributes the features read. */
export const NUMBER_ATTRIBUTES = ['employees', 'revenue'] as const;
export const BOOLEAN_ATTRIBUTES = [
  'has_mortgage',
  'has_credit_card',
  'basic_account',
  'listed',
  'payroll_employer',
] as const;
export const CATEGORY_ATTRIBUTES = [
  'kind',
  'gender',
  'life_stage',
  'enterprise_size',
  'chain_role',
  'institution_type',
  'industry_code',
] as const;
export type NumberAttribute = (typeof NUMBER_ATTRIBUTES)[number];
export type BooleanAttribute = (typeof BOOLEAN_ATTRIBUTES)[number];
export type CategoryAttribute = (typeof CATEGORY_ATTRIBUTES)[number];

/**
 * How a numeric feature is derived, as data: one interpreter evaluates it over typed arrays,
 * another compiles it to SQL, so the two cannot drift apart. `k` counts months back from the
 * as-of month (0 = the as-of month). A missing month or a zero denominator gives null.
 */
export type NumberExpr =
  | { readonly metric: Metric; readonly k: number }
  /** Sum over months 0…months-1, missing months counting 0; null if the as-of month is missing. */
  | { readonly sum: Metric; readonly months: number }
  /** Mean over the months present among 0…months-1; null if none is. */
  | { readonly mean: Metric; readonly months: number }
  /** a / b, null unless b > 0. */
  | { readonly ratio: readonly [NumberExpr, NumberExpr] }
  /** a / b − 1, null unless b > 0. */
  | { readonly change: readonly [NumberExpr, NumberExpr] }
  | { readonly minus: readonly [NumberExpr, NumberExpr] }
  /** Days from a date to the as-of month's last day; null if no date or a later one. */
  | { readonly daysSince: 'last_txn' | 'opened' }
  /** Whole years from the birth date to the as-of month's last day. */
  | { readonly age: 'birth' }
  | { readonly attribute: NumberAttribute };

/** How a category feature is derived. */
export type CategoryExpr =
  | { readonly attribute: CategoryAttribute }
  /** The GB/T 4754 section letter of the industry code. */
  | { readonly section: 'industry_code' }
  /** The rung of the retail AUM ladder the as-of AUM falls on. */
  | { readonly tier: 'aum_avg' };

/** How a boolean feature is derived. */
export type BooleanExpr =
  { readonly attribute: BooleanAttribute } | { readonly present: 'payroll_employer_id' };

type Base = { readonly label: Localized; readonly scope: 'all' | 'retail' | 'corporate' };

/** A feature a rule may name: its type, unit, labels and derivation. */
export type FeatureDef =
  | (Base & {
      readonly type: 'number';
      readonly unit: 'rmb' | 'count' | 'days' | 'ratio' | 'years' | 'persons';
      readonly expr: NumberExpr;
    })
  | (Base & { readonly type: 'boolean'; readonly expr: BooleanExpr })
  | (Base & {
      readonly type: 'category';
      readonly values: readonly string[];
      readonly expr: CategoryExpr;
      readonly valueLabels?: Readonly<Record<string, Localized>>;
    });
