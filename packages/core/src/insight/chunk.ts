import { enterpriseSize, smeIndustryOf, type EnterpriseSize } from '../corporate/sme-size.js';
import { FEATURES, type FeatureKey } from '../features/catalog.js';
import { FeatureFrame } from '../features/frame.js';
import type { FeatureInput } from '../features/input.js';
import { evaluateLifecycle } from '../lifecycle/evaluate.js';
import {
  NEVER,
  NOT_LINKED,
  createLifecycleFrame,
  type LifecycleFrame,
} from '../lifecycle/frame.js';
import { compileRule } from '../rules/predicate.js';
import { tiersByRules } from '../tiers/by-rules.js';
import { NO_TIER, ladderWithHysteresis } from '../tiers/ladder.js';
import { periodStartDay } from '../util/dates.js';
import type { InsightConfig } from './config.js';

/** Enterprise sizes in code order (0 = large). */
export const SIZES: readonly EnterpriseSize[] = ['large', 'medium', 'small', 'micro'];

/**
 * The lifecycle frame of a feature input, over its months up to the as-of month: what
 * `evaluateLifecycle` reads. A missing month counts as zero balances and no activity.
 */
export function lifecycleFrameOfInput(input: FeatureInput): LifecycleFrame {
  const last = input.periods.indexOf(input.asOf);
  const periods = input.periods.slice(0, last + 1);
  const n = input.size;
  const frame = createLifecycleFrame(n, periods);
  frame.linkedDay.set(input.linkedDay);
  frame.openedDay.set(input.openedDay);
  frame.closedDay.set(input.closedDay);
  const windowStart = periodStartDay(periods[0] ?? input.asOf);
  for (let i = 0; i < n; i++) {
    const funded = input.fundedDay[i] ?? NEVER;
    frame.fundedBeforeDay[i] = funded < windowStart ? funded : NEVER;
  }
  const { aum_avg, txn_in_amount, txn_out_amount, product_types } = input.monthly;
  const cells = n * periods.length;
  const zero = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 0 : v);
  for (let c = 0; c < cells; c++) {
    frame.aum[c] = zero(aum_avg[c]);
    frame.netFlow[c] = zero(txn_in_amount[c]) - zero(txn_out_amount[c]);
    frame.productTypes[c] = zero(product_types[c]);
    frame.lastTxnDay[c] = input.lastTxnDay[c] ?? NEVER;
  }
  return frame;
}

/** Money and ratio features are log-scaled before clustering, so a few rich customers do not own the axes. */
export function clusterValue(key: FeatureKey, v: number): number {
  return logScaled(key) ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
}

/** True for the features `clusterValue` log-scales (money and ratios). */
export function logScaled(key: FeatureKey): boolean {
  const def = FEATURES[key];
  return def.type === 'number' && (def.unit === 'rmb' || def.unit === 'ratio');
}

/** What one chunk of customers yields before the population-wide steps. */
export interface ChunkTags {
  readonly frame: FeatureFrame;
  readonly retail: Uint8Array;
  readonly stage: Uint8Array;
  readonly previousStage: Uint8Array;
  readonly stageReason: Uint8Array;
  readonly aumTier: Uint8Array;
  readonly corporateTier: Uint8Array;
  readonly riskTier: Uint8Array;
  readonly size: Uint8Array;
  /** One Uint8Array per configured segment, in config order. */
  readonly members: readonly Uint8Array[];
}

/** Per-customer tags of one chunk: everything that does not depend on the rest of the bank. */
export function tagChunk(input: FeatureInput, config: InsightConfig): ChunkTags {
  const frame = new FeatureFrame(input);
  const n = input.size;
  const kind = frame.category('kind');
  const retailCode = kind.values.indexOf('retail');
  const retail = new Uint8Array(n);
  for (let i = 0; i < n; i++) retail[i] = kind.codes[i] === retailCode ? 1 : 0;

  const lifecycle = evaluateLifecycle(lifecycleFrameOfInput(input), config.lifecycle);
  const t = lifecycle.stages.length - 1;
  const stage = lifecycle.stages[t] as Uint8Array;
  const stageReason = lifecycle.reasons[t] as Uint8Array;
  const previousStage = lifecycle.stages[t - 1] ?? new Uint8Array(n).fill(NOT_LINKED);

  // Value tiers with hysteresis, each on its own line of business.
  const months = t + 1;
  const history = (metric: 'aum_avg' | 'deposits_avg', wantRetail: number) => {
    const col = input.monthly[metric];
    const out = new Float64Array(months * n);
    for (let m = 0; m < months; m++)
      for (let i = 0; i < n; i++)
        out[m * n + i] = retail[i] === wantRetail ? (col[m * n + i] ?? Number.NaN) : Number.NaN;
    return out;
  };
  const lastRow = (codes: Uint8Array) => codes.subarray(t * n, (t + 1) * n);
  const options = { downgradeMonths: config.downgradeMonths };
  const aumTier = lastRow(
    ladderWithHysteresis(history('aum_avg', 1), n, config.retailLadder, options),
  ).slice();
  const corporateTier = lastRow(
    ladderWithHysteresis(history('deposits_avg', 0), n, config.corporateLadder, options),
  ).slice();

  const riskTier = tiersByRules(frame, config.riskTiers);

  const size = new Uint8Array(n).fill(NO_TIER);
  const industry = input.categories.industry_code;
  const employees = frame.number('employees');
  const revenue = frame.number('revenue');
  for (let i = 0; i < n; i++) {
    const code = industry.codes[i] ?? -1;
    if (retail[i] === 1 || code < 0) continue;
    size[i] = enterpriseSizeCode(
      industry.values[code] as string,
      employees[i] ?? Number.NaN,
      revenue[i] ?? Number.NaN,
    );
  }

  const members = config.segments.map((s) => {
    const test = compileRule(s.rule, frame);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (frame.universe[i] === 1 && test(i)) out[i] = 1;
    return out;
  });

  for (let i = 0; i < n; i++) {
    if (frame.universe[i] === 1) continue;
    aumTier[i] = NO_TIER;
    corporateTier[i] = NO_TIER;
  }
  return {
    frame,
    retail,
    stage,
    previousStage,
    stageReason,
    aumTier,
    corporateTier,
    riskTier,
    size,
    members,
  };
}

/**
 * A corporate customer's enterprise size (index into SIZES) from its industry code, employees
 * and revenue (NaN: unknown); NO_TIER when both figures are unknown.
 */
export function enterpriseSizeCode(industry: string, employees: number, revenue: number): number {
  if (Number.isNaN(employees) && Number.isNaN(revenue)) return NO_TIER;
  const firm = {
    employees: Number.isNaN(employees) ? 0 : employees,
    revenue: Number.isNaN(revenue) ? 0 : revenue,
  };
  return SIZES.indexOf(enterpriseSize(smeIndustryOf(industry), firm));
}
