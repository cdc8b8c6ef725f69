import type { FeatureKey } from '../features/catalog.js';
import type { Localized } from '../util/i18n.js';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from '../lifecycle/config.js';
import { DEFAULT_RETAIL_LADDER, type TierRung } from '../tiers/aum-ladder.js';
import { DEFAULT_RISK_TIERS, type RuleTier } from '../tiers/by-rules.js';
import { DEFAULT_CORPORATE_LADDER } from '../tiers/ladder.js';
import { STARTER_SEGMENTS, type SegmentDefinition } from '../segments/library.js';

/** How the refresh clusters customers. */
export interface ClusterConfig {
  /** Which customers are clustered (retail and corporate live on different scales). */
  readonly scope: 'retail' | 'corporate';
  /** Numeric features, standardised; money and ratio features are log-scaled first. */
  readonly features: readonly FeatureKey[];
  readonly k: number;
  readonly seed: number;
  readonly maxIterations: number;
  /**
   * Names an analyst accepted or edited, by cluster number (from the clustering lab with the
   * same features, k and seed); clusters without one keep their suggested name.
   */
  readonly names?: readonly (Localized | null)[];
}

/** Everything a refresh needs besides the data. Every default comes from DOMAIN.md. */
export interface InsightConfig {
  readonly lifecycle: LifecycleConfig;
  /** Retail value ladder on 月日均 AUM. */
  readonly retailLadder: readonly TierRung[];
  /** Corporate contribution ladder on average daily deposits (日均存款). */
  readonly corporateLadder: readonly TierRung[];
  /** Months below a rung before a customer moves down it. */
  readonly downgradeMonths: number;
  /** Risk tiers: the first whose rule matches. */
  readonly riskTiers: readonly RuleTier[];
  /** Rule segments, with priorities and exclusivity. */
  readonly segments: readonly SegmentDefinition[];
  /** Pareto (ABC) lines: A up to this share of value, B up to the next. */
  readonly pareto: readonly [number, number];
  /** Null: no clustering in this refresh. */
  readonly clusters: ClusterConfig | null;
  /** Events younger than this many days are listed on a profile. */
  readonly recentEventDays: number;
}

/** Sixteen retail features that separate customers by value, activity, depth and channel. */
export const DEFAULT_CLUSTER_FEATURES: readonly FeatureKey[] = [
  'aum',
  'deposits',
  'wealth',
  'funds',
  'insurance',
  'loans',
  'product_types',
  'recency_days',
  'frequency_90d',
  'inflow_outflow_ratio',
  'digital_logins_90d',
  'card_spend_3m',
  'fee_income_12m',
  'tenure_days',
  'age',
  'aum_trend_3m',
];

/** The defaults: DOMAIN.md's ladders, the starter segments, 8 retail clusters. */
export const DEFAULT_INSIGHT_CONFIG: InsightConfig = {
  lifecycle: DEFAULT_LIFECYCLE_CONFIG,
  retailLadder: DEFAULT_RETAIL_LADDER,
  corporateLadder: DEFAULT_CORPORATE_LADDER,
  downgradeMonths: 3,
  riskTiers: DEFAULT_RISK_TIERS,
  segments: STARTER_SEGMENTS,
  pareto: [0.8, 0.95],
  clusters: {
    scope: 'retail',
    features: DEFAULT_CLUSTER_FEATURES,
    k: 8,
    seed: 20261122,
    maxIterations: 50,
  },
  recentEventDays: 90,
};

/** The defaults with some parts replaced. */
export function insightConfig(overrides: Partial<InsightConfig> = {}): InsightConfig {
  return { ...DEFAULT_INSIGHT_CONFIG, ...overrides };
}
