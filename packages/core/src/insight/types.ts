import type { KMeansOptions, KMeansResult, Points } from '../clusters/kmeans.js';
import type { ClusterProfile } from '../clusters/profile.js';
import type { FeatureKey } from '../features/catalog.js';
import type { OverlapMatrix } from '../segments/overlap.js';
import type { Period } from '../util/dates.js';
import type { Localized } from '../util/i18n.js';
import type { InsightConfig } from './config.js';

/** RFM quintile cut points (4 ascending values each) for one line of business. */
export interface RfmCuts {
  readonly r: readonly number[];
  readonly f: readonly number[];
  readonly m: readonly number[];
}

/**
 * The population-wide facts of a run, JSON-serialisable: with them one customer's tags can be
 * recomputed and explained without the rest of the bank (see `explainCustomer`).
 */
export interface InsightModel {
  readonly period: Period;
  readonly config: InsightConfig;
  /** Null in a run whose tags a warehouse computed (RFM needs every customer in memory). */
  readonly rfm: { readonly retail: RfmCuts; readonly corporate: RfmCuts } | null;
  /**
   * Smallest value still in class A and in class B, per line (AUM for retail, deposits for
   * corporate). Null in a run whose tags a warehouse computed.
   */
  readonly pareto: {
    readonly retail: readonly [number, number];
    readonly corporate: readonly [number, number];
  } | null;
  readonly clusters: {
    readonly features: readonly FeatureKey[];
    readonly means: readonly number[];
    readonly stds: readonly number[];
    /** k rows of standardised coordinates. */
    readonly centers: readonly (readonly number[])[];
    readonly names: readonly Localized[];
  } | null;
  /** Where the per-customer tags were computed, when not in memory (e.g. `duckdb`). */
  readonly source?: string;
}

/** Customers and AUM of one (dimension value, lifecycle stage) cell in one org unit. */
export interface InsightAggregate {
  readonly dimension: InsightDimension;
  readonly value: string;
  readonly orgUnitId: number;
  readonly stage: string;
  readonly customers: number;
  readonly aum: number;
}

/** The groupings aggregated by stage: rows of the strategy map. */
export const INSIGHT_DIMENSIONS = [
  'segment',
  'primary',
  'aum_tier',
  'corporate_tier',
  'risk_tier',
  'enterprise_size',
  'cluster',
  'pareto',
] as const;
export type InsightDimension = (typeof INSIGHT_DIMENSIONS)[number];

/** Pareto class names in code order. */
export const PARETO_CLASSES = ['A', 'B', 'C'] as const;

/** Everything a refresh produces, per customer (frame order) and in aggregate. */
export interface InsightRun {
  readonly model: InsightModel;
  readonly size: number;
  readonly customerIds: Int32Array;
  readonly orgUnitIds: Int32Array;
  /** 1 for customers known by the as-of month's end (the rest carry no tags). */
  readonly universe: Uint8Array;
  readonly retail: Uint8Array;
  readonly aum: Float64Array;
  readonly stage: Uint8Array;
  readonly previousStage: Uint8Array;
  readonly stageReason: Uint8Array;
  readonly aumTier: Uint8Array;
  readonly corporateTier: Uint8Array;
  readonly riskTier: Uint8Array;
  /** Index into SIZES, NO_TIER for retail. */
  readonly enterpriseSize: Uint8Array;
  /** Quintile scores 1–5, 0 for none (every customer's in a run whose tags a warehouse computed). */
  readonly rfm: { readonly r: Uint8Array; readonly f: Uint8Array; readonly m: Uint8Array };
  /** Index into PARETO_CLASSES, NO_TIER without a positive value. */
  readonly pareto: Uint8Array;
  /** Cluster number, -1 outside the clustered scope. */
  readonly cluster: Int16Array;
  readonly clusterProfiles: readonly ClusterProfile[];
  /** Per configured segment, in config order. */
  readonly segments: readonly {
    readonly key: string;
    readonly members: Uint8Array;
    readonly count: number;
    readonly effectiveCount: number;
    readonly primaryCount: number;
  }[];
  /** Index into `segments` of each customer's primary segment, -1 for none. */
  readonly primary: Int16Array;
  readonly overlap: OverlapMatrix;
  readonly aggregates: readonly InsightAggregate[];
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Options for `refreshInsight`. */
export interface RefreshInsightOptions {
  /** A millisecond clock for the timings. @default performance.now */
  readonly clock?: () => number;
  /** Called after each chunk with the customers done so far. */
  readonly onChunk?: (done: number) => void;
  /**
   * The k-means to cluster with, e.g. `kmeansParallel` from `@strata/parallel` to use worker
   * threads. It must give `kmeans`' result. @default kmeans
   */
  readonly kmeans?: (points: Points, options: KMeansOptions) => KMeansResult;
  /** Where the standardised points are allocated, e.g. shared memory for `kmeansParallel`. */
  readonly allocatePoints?: (bytes: number) => ArrayBufferLike;
}
