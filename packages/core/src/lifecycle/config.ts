import { DEFAULT_RETAIL_LADDER, type TierRung } from '../tiers/aum-ladder.js';
import type { LifecycleStage } from './stages.js';

/**
 * Every threshold of the lifecycle rules, in one place. Defaults follow DOMAIN.md;
 * a bank changes them here, not in code.
 *
 * @example
 * const config = lifecycleConfig({ dormantDays: 365 }); // a bank that calls a year dormant
 */
export interface LifecycleConfig {
  /** AUM (RMB) at or below which a customer counts as holding nothing. @default 100 */
  readonly zeroAum: number;
  /** Tenure (days since the first debit account opened) up to which a customer is onboarding (新客/首面). @default 90 */
  readonly onboardingDays: number;
  /** Tenure up to which a customer is in the honeymoon (蜜月期), i.e. 3–6 months. @default 183 */
  readonly honeymoonDays: number;
  /** Days without a customer-initiated transaction (interest postings do not count) after which a customer is dormant (沉睡). @default 180 */
  readonly dormantDays: number;
  /** Months over which the AUM trend is measured. @default 3 */
  readonly trendMonths: number;
  /** AUM below which, at both ends of the window, trends are not read (tiny balances swing wildly). @default 1000 */
  readonly trendMinAum: number;
  /** Fall in AUM over the window that marks declining (预流失): 0.3 = down 30 % or more. @default 0.3 */
  readonly declineDrop: number;
  /** Consecutive months of net outflow that count as sustained outflow. @default 3 */
  readonly outflowMonths: number;
  /** Sustained outflow must also total at least this share of the AUM at the window's start. @default 0.1 */
  readonly outflowMinShare: number;
  /** Rise in AUM over the window that marks growth: 0.1 = up 10 % or more. @default 0.1 */
  readonly growthRise: number;
  /** AUM within ± this share over the window counts as stable. @default 0.1 */
  readonly stableBand: number;
  /** Product types a stable customer must hold to be mature. @default 3 */
  readonly matureProducts: number;
  /** The value ladder whose upgrade also marks growth. @default DEFAULT_RETAIL_LADDER */
  readonly ladder: readonly TierRung[];
  /**
   * The stage of a customer no rule places (stable but shallow, or drifting down less than
   * the decline threshold): still to be developed. @default 'growth'
   */
  readonly fallbackStage: LifecycleStage;
}

/** The default lifecycle configuration (DOMAIN.md). */
export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = {
  zeroAum: 100,
  onboardingDays: 90,
  honeymoonDays: 183,
  dormantDays: 180,
  trendMonths: 3,
  trendMinAum: 1000,
  declineDrop: 0.3,
  outflowMonths: 3,
  outflowMinShare: 0.1,
  growthRise: 0.1,
  stableBand: 0.1,
  matureProducts: 3,
  ladder: DEFAULT_RETAIL_LADDER,
  fallbackStage: 'growth',
};

/** The default configuration with some thresholds changed. */
export function lifecycleConfig(overrides: Partial<LifecycleConfig> = {}): LifecycleConfig {
  const config = { ...DEFAULT_LIFECYCLE_CONFIG, ...overrides };
  if (config.onboardingDays > config.honeymoonDays) {
    throw new RangeError('onboardingDays must not exceed honeymoonDays');
  }
  if (config.trendMonths < 1 || config.outflowMonths < 1) {
    throw new RangeError('trendMonths and outflowMonths must be at least 1');
  }
  return config;
}
