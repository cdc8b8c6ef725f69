import { periodEndDay, periodStartDay } from '../util/dates.js';
import { aumTierIndex } from '../tiers/aum-ladder.js';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from './config.js';
import { NEVER, NOT_LINKED, type LifecycleFrame } from './frame.js';
import { stageCode, stageOf, type LifecycleStage } from './stages.js';

/** Why a customer is in a stage: the rule that placed them. */
export const LIFECYCLE_REASONS = [
  'closed',
  'zero_aum',
  'no_debit_account',
  'never_funded',
  'reactivated',
  'no_recent_txn',
  'new_customer',
  'honeymoon_tenure',
  'aum_drop',
  'sustained_outflow',
  'aum_rise',
  'tier_upgrade',
  'stable_deep',
  'fallback',
] as const;

/** A rule that placed a customer in a stage. */
export type LifecycleReason = (typeof LIFECYCLE_REASONS)[number];

const R = Object.fromEntries(LIFECYCLE_REASONS.map((r, k) => [r, k])) as Record<
  LifecycleReason,
  number
>;
const S = {
  prospect: stageCode('prospect'),
  onboarding: stageCode('onboarding'),
  honeymoon: stageCode('honeymoon'),
  growth: stageCode('growth'),
  mature: stageCode('mature'),
  declining: stageCode('declining'),
  dormant: stageCode('dormant'),
  churned: stageCode('churned'),
  winback: stageCode('winback'),
} as const;

/** Stages and reasons of every customer in every period of a frame. */
export interface LifecycleEvaluation {
  readonly periods: LifecycleFrame['periods'];
  /** Per period: the stage code of each customer (see `stageOf`). */
  readonly stages: readonly Uint8Array[]; // NOT_LINKED (255) before the customer was known
  /** Per period: the reason code of each customer (an index into LIFECYCLE_REASONS). */
  readonly reasons: readonly Uint8Array[];
}

/** The figures a lifecycle rule looked at, for one customer in one period. */
export interface LifecycleFigures {
  readonly aum: number;
  /** AUM at the start of the trend window (the earliest available month if the history is shorter). */
  readonly aumBase: number;
  /** Relative AUM change over the window, or null when the balances are too small to read. */
  readonly aumChange: number | null;
  /** Days since the first debit account opened, or null if none has. */
  readonly tenureDays: number | null;
  /** Days since the last customer-initiated transaction, or null if there never was one. */
  readonly daysSinceTxn: number | null;
  readonly productTypes: number;
  /** Months of net outflow in a row, ending with this one. */
  readonly outflowStreak: number;
  readonly previousStage: LifecycleStage | null;
}

/** One customer's stage in one period, with the rule and figures behind it. */
export interface LifecycleExplanation {
  readonly stage: LifecycleStage;
  readonly reason: LifecycleReason;
  readonly figures: LifecycleFigures;
}

/**
 * Everything the rules need about one customer in one period. `evaluateLifecycle` reuses one
 * context for every customer and month (millions of calls: no allocation each).
 */
interface Context {
  frame: LifecycleFrame;
  config: LifecycleConfig;
  i: number;
  t: number;
  /** Day numbers of the period's first and last day. */
  start: number;
  end: number;
  everFunded: boolean;
  previous: number; // stage code in t-1, or -1
}

/** A context for period `t` of a frame (customer, funding and previous stage set per call). */
function contextAt(frame: LifecycleFrame, config: LifecycleConfig, t: number): Context {
  const period = frame.periods[t] as string;
  return {
    frame,
    config,
    i: 0,
    t,
    start: periodStartDay(period),
    end: periodEndDay(period),
    everFunded: false,
    previous: -1,
  };
}

function figuresOf(c: Context): LifecycleFigures {
  const { frame, config, i, t, end } = c;
  const n = frame.size;
  const base = Math.max(0, t - config.trendMonths);
  const aum = frame.aum[t * n + i] ?? 0;
  const aumBase = frame.aum[base * n + i] ?? 0;
  const readable = Math.max(aum, aumBase) >= config.trendMinAum && t > 0;
  const aumChange = readable
    ? aumBase > 0
      ? (aum - aumBase) / aumBase
      : Number.POSITIVE_INFINITY
    : null;
  const opened = frame.openedDay[i] ?? NEVER;
  const lastTxn = frame.lastTxnDay[t * n + i] ?? NEVER;
  let outflowStreak = 0;
  for (let k = t; k >= 0 && (frame.netFlow[k * n + i] ?? 0) < 0; k--) outflowStreak++;
  return {
    aum,
    aumBase,
    aumChange,
    tenureDays: opened === NEVER || opened > end ? null : end - opened,
    daysSinceTxn: lastTxn === NEVER ? null : end - lastTxn,
    productTypes: frame.productTypes[t * n + i] ?? 0,
    outflowStreak,
    previousStage: c.previous < 0 ? null : stageOf(c.previous),
  };
}

const EPS = 1e-9;

/** Packs (stage, reason) into one number: stage in the low 4 bits. */
function place(stage: number, reason: number): number {
  return stage | (reason << 4);
}

/**
 * The rules of DOMAIN.md, in order; the first that matches wins:
 * churned → prospect → win-back → dormant → onboarding → honeymoon → declining → growth → mature → fallback.
 */
function classify(c: Context): number {
  const { frame, config, i, t, end } = c;
  const n = frame.size;
  const aum = frame.aum[t * n + i] ?? 0;
  const opened = frame.openedDay[i] ?? NEVER;
  const closed = frame.closedDay[i] ?? NEVER;
  const funded = aum > config.zeroAum;

  if (closed !== NEVER && closed <= end) return place(S.churned, R.closed);
  if (opened === NEVER || opened > end) return place(S.prospect, R.no_debit_account);
  if (!funded && c.everFunded) return place(S.churned, R.zero_aum);
  if (!funded && !c.everFunded) {
    // An account opened but never funded: still onboarding while new, a prospect after.
    return end - opened <= config.onboardingDays
      ? place(S.onboarding, R.new_customer)
      : place(S.prospect, R.never_funded);
  }

  const lastTxn = frame.lastTxnDay[t * n + i] ?? NEVER;
  const activeNow = lastTxn !== NEVER && lastTxn >= c.start;
  if ((c.previous === S.churned || c.previous === S.dormant) && activeNow) {
    return place(S.winback, R.reactivated);
  }
  const idleSince = lastTxn === NEVER ? opened : lastTxn;
  if (end - idleSince >= config.dormantDays) return place(S.dormant, R.no_recent_txn);

  const tenure = end - opened;
  if (tenure <= config.onboardingDays) return place(S.onboarding, R.new_customer);
  if (tenure <= config.honeymoonDays) return place(S.honeymoon, R.honeymoon_tenure);

  const base = Math.max(0, t - config.trendMonths);
  const aumBase = frame.aum[base * n + i] ?? 0;
  const readable = t > 0 && Math.max(aum, aumBase) >= config.trendMinAum;
  // Relative change over the window; thresholds are met within a rounding tolerance,
  // so "up 10 %" holds for 100,000 → 110,000 although 100,000 × 1.1 is not exact in binary.
  const change = readable
    ? aumBase > 0
      ? (aum - aumBase) / aumBase
      : Number.POSITIVE_INFINITY
    : 0;
  if (readable && change <= -config.declineDrop + EPS) return place(S.declining, R.aum_drop);

  if (t + 1 >= config.outflowMonths && aumBase > 0) {
    let streak = true;
    let outflow = 0;
    for (let k = t - config.outflowMonths + 1; k <= t; k++) {
      const flow = frame.netFlow[k * n + i] ?? 0;
      if (flow >= 0) {
        streak = false;
        break;
      }
      outflow -= flow;
    }
    if (streak && outflow >= config.outflowMinShare * aumBase * (1 - EPS)) {
      return place(S.declining, R.sustained_outflow);
    }
  }

  if (readable && change >= config.growthRise - EPS) return place(S.growth, R.aum_rise);
  if (t > 0 && aumTierIndex(aum, config.ladder) > aumTierIndex(aumBase, config.ladder)) {
    return place(S.growth, R.tier_upgrade);
  }
  const stable = !readable || Math.abs(change) <= config.stableBand + EPS;
  if (stable && (frame.productTypes[t * n + i] ?? 0) >= config.matureProducts) {
    return place(S.mature, R.stable_deep);
  }
  return place(stageCode(config.fallbackStage), R.fallback);
}

/**
 * Places every customer of the frame in a lifecycle stage, period by period (win-back
 * needs the stage of the period before). Periods before the first one in the frame are
 * unknown: trends there are read over the months the frame has.
 *
 * @example
 * const { stages } = evaluateLifecycle(frame);
 * const last = stages[stages.length - 1]; // Uint8Array of stage codes
 */
export function evaluateLifecycle(
  frame: LifecycleFrame,
  config: LifecycleConfig = DEFAULT_LIFECYCLE_CONFIG,
): LifecycleEvaluation {
  const n = frame.size;
  const stages: Uint8Array[] = [];
  const reasons: Uint8Array[] = [];
  const everFunded = new Uint8Array(n);
  for (let i = 0; i < n; i++) if ((frame.fundedBeforeDay[i] ?? NEVER) !== NEVER) everFunded[i] = 1;
  for (let t = 0; t < frame.periods.length; t++) {
    const stage = new Uint8Array(n);
    const reason = new Uint8Array(n);
    const previous = stages[t - 1];
    const context = contextAt(frame, config, t);
    const { end } = context;
    for (let i = 0; i < n; i++) {
      if ((frame.linkedDay[i] ?? 0) > end) {
        stage[i] = NOT_LINKED;
        reason[i] = NOT_LINKED;
        continue;
      }
      const prev = previous ? (previous[i] as number) : -1;
      context.i = i;
      context.everFunded = everFunded[i] === 1;
      context.previous = prev === NOT_LINKED ? -1 : prev;
      const packed = classify(context);
      stage[i] = packed & 15;
      reason[i] = packed >> 4;
      if ((frame.aum[t * n + i] ?? 0) > config.zeroAum) everFunded[i] = 1;
    }
    stages.push(stage);
    reasons.push(reason);
  }
  return { periods: frame.periods, stages, reasons };
}

/**
 * Why customer `i` is where they are in period index `t`: the stage, the rule and the
 * figures it read, or null if the customer was not yet known then. Agrees with
 * `evaluateLifecycle` by construction (same rules).
 */
export function explainLifecycle(
  frame: LifecycleFrame,
  i: number,
  t: number,
  config: LifecycleConfig = DEFAULT_LIFECYCLE_CONFIG,
): LifecycleExplanation | null {
  if (i < 0 || i >= frame.size) throw new RangeError(`No customer at index ${i}`);
  if (t < 0 || t >= frame.periods.length) throw new RangeError(`No period at index ${t}`);
  const n = frame.size;
  if ((frame.linkedDay[i] ?? 0) > periodEndDay(frame.periods[t] as string)) return null;
  let previous = -1;
  let everFunded = (frame.fundedBeforeDay[i] ?? NEVER) !== NEVER;
  let packed = 0;
  for (let k = 0; k <= t; k++) {
    if ((frame.linkedDay[i] ?? 0) > periodEndDay(frame.periods[k] as string)) continue;
    packed = classify({ ...contextAt(frame, config, k), i, everFunded, previous });
    if (k < t) {
      previous = packed & 15;
      if ((frame.aum[k * n + i] ?? 0) > config.zeroAum) everFunded = true;
    }
  }
  const reason = LIFECYCLE_REASONS[packed >> 4] as LifecycleReason;
  return {
    stage: stageOf(packed & 15),
    reason,
    figures: figuresOf({ ...contextAt(frame, config, t), i, everFunded, previous }),
  };
}
