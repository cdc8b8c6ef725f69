import type { FeatureFrame } from '../features/frame.js';
import type { Localized } from '../util/i18n.js';
import { compileRule } from '../rules/predicate.js';
import type { Condition } from '../rules/schema.js';
import { NO_TIER } from './ladder.js';

/** A tier defined by a rule: the first tier (in order) whose rule matches wins. */
export interface RuleTier {
  readonly id: string;
  readonly label: Localized;
  /** The rule; omit for the catch-all last tier. */
  readonly rule?: Condition;
}

/**
 * The default risk tiers (流失风险), from the churn signals bankers watch: a steep AUM drop,
 * a complaint, sustained outflow, going quiet.
 */
export const DEFAULT_RISK_TIERS: readonly RuleTier[] = [
  {
    id: 'high',
    label: { 'zh-CN': '高风险', en: 'High risk' },
    rule: {
      kind: 'or',
      of: [
        { kind: 'cmp', field: 'aum_trend_3m', op: '<=', value: -0.3 },
        { kind: 'event', event: 'complaint', withinDays: 90 },
        { kind: 'event', event: 'basic_account_moved', withinDays: 180 },
      ],
    },
  },
  {
    id: 'medium',
    label: { 'zh-CN': '中风险', en: 'Medium risk' },
    rule: {
      kind: 'or',
      of: [
        { kind: 'cmp', field: 'aum_trend_3m', op: '<=', value: -0.1 },
        { kind: 'cmp', field: 'inflow_outflow_ratio', op: '<', value: 0.5 },
        { kind: 'cmp', field: 'recency_days', op: '>=', value: 90 },
      ],
    },
  },
  { id: 'low', label: { 'zh-CN': '低风险', en: 'Low risk' } },
];

/** Assigns each customer known by the as-of month the first matching tier (NO_TIER otherwise). */
export function tiersByRules(frame: FeatureFrame, tiers: readonly RuleTier[]): Uint8Array {
  const tests = tiers.map((t) => (t.rule ? compileRule(t.rule, frame) : () => true));
  const out = new Uint8Array(frame.size).fill(NO_TIER);
  for (let i = 0; i < frame.size; i++) {
    if (frame.universe[i] !== 1) continue;
    const k = tests.findIndex((test) => test(i));
    if (k >= 0) out[i] = k;
  }
  return out;
}
