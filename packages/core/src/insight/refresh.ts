import {
  kmeans,
  standardize,
  type KMeansOptions,
  type KMeansResult,
  type Points,
} from '../clusters/kmeans.js';
import { clusterProfiles, type ClusterProfile } from '../clusters/profile.js';
import { FEATURES, type FeatureKey } from '../features/catalog.js';
import type { FeatureInput } from '../features/input.js';
import { NOT_LINKED } from '../lifecycle/frame.js';
import { LIFECYCLE_STAGES } from '../lifecycle/stages.js';
import { overlapMatrix, resolvePrimary, type OverlapMatrix } from '../segments/overlap.js';
import { NO_TIER } from '../tiers/ladder.js';
import { paretoClasses, quantileCuts } from '../tiers/quantile.js';
import type { Period } from '../util/dates.js';
import type { Localized } from '../util/i18n.js';
import { DEFAULT_INSIGHT_CONFIG, type InsightConfig } from './config.js';
import { SIZES, logScaled, tagChunk } from './chunk.js';

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
  readonly rfm: { readonly retail: RfmCuts; readonly corporate: RfmCuts };
  /** Smallest value still in class A and in class B, per line (AUM for retail, deposits for corporate). */
  readonly pareto: {
    readonly retail: readonly [number, number];
    readonly corporate: readonly [number, number];
  };
  readonly clusters: {
    readonly features: readonly FeatureKey[];
    readonly means: readonly number[];
    readonly stds: readonly number[];
    /** k rows of standardised coordinates. */
    readonly centers: readonly (readonly number[])[];
    readonly names: readonly Localized[];
  } | null;
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

/** Score against quintile cuts: 1 (worst) … 5 (best), 0 for a missing value. */
export function quintileScore(v: number, cuts: readonly number[], higherIsBetter: boolean): number {
  if (Number.isNaN(v) || cuts.length === 0) return 0;
  let tier = 0;
  while (tier < cuts.length && v >= (cuts[tier] as number)) tier++;
  return higherIsBetter ? tier + 1 : cuts.length + 1 - tier;
}

/** Pareto class by the run's thresholds (0 = A), NO_TIER for a missing or non-positive value. */
export function paretoClassOf(v: number, thresholds: readonly [number, number]): number {
  if (!(v > 0)) return NO_TIER;
  return v >= thresholds[0] ? 0 : v >= thresholds[1] ? 1 : 2;
}

/** The nearest centre of a standardised point. */
export function nearestCenter(
  point: ArrayLike<number>,
  centers: readonly (readonly number[])[],
): number {
  let best = -1;
  let bestDist = Number.POSITIVE_INFINITY;
  centers.forEach((c, k) => {
    let s = 0;
    for (let j = 0; j < c.length; j++) {
      const x = (point[j] as number) - (c[j] as number);
      s += x * x;
    }
    if (s < bestDist) {
      bestDist = s;
      best = k;
    }
  });
  return best;
}

function concat<T extends Uint8Array | Int32Array | Float64Array>(
  parts: readonly T[],
  make: (n: number) => T,
): T {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = make(total);
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

/**
 * The whole insight refresh for one month: lifecycle stages, value/contribution/risk tiers,
 * enterprise sizes, rule segments with primary resolution and overlap, RFM quintiles, Pareto
 * classes, clusters, and customers/AUM aggregated by (dimension value × stage × org unit).
 *
 * Reads the customers in chunks (any iterable of FeatureInput for the same month), so a
 * million customers × 13 months never need to sit in memory at once: only the columns the
 * population-wide steps need (RFM, Pareto, clustering) are kept.
 *
 * @example
 * const run = refreshInsight([loadFeatureInput(db, '2026-10')]);
 * run.segments.map((s) => [s.key, s.count]);
 */
export function refreshInsight(
  chunks: Iterable<FeatureInput>,
  config: InsightConfig = DEFAULT_INSIGHT_CONFIG,
  options: RefreshInsightOptions = {},
): InsightRun {
  const clock =
    options.clock ??
    (() => (globalThis as { performance?: { now(): number } }).performance?.now() ?? 0);
  const timings: Record<string, number> = {};
  let mark = clock();
  const lap = (step: string) => {
    const now = clock();
    timings[step] = Math.round((timings[step] ?? 0) + now - mark);
    mark = now;
  };

  const parts = {
    ids: [] as Int32Array[],
    units: [] as Int32Array[],
    universe: [] as Uint8Array[],
    retail: [] as Uint8Array[],
    aum: [] as Float64Array[],
    deposits: [] as Float64Array[],
    recency: [] as Float64Array[],
    frequency: [] as Float64Array[],
    monetary: [] as Float64Array[],
    stage: [] as Uint8Array[],
    previousStage: [] as Uint8Array[],
    stageReason: [] as Uint8Array[],
    aumTier: [] as Uint8Array[],
    corporateTier: [] as Uint8Array[],
    riskTier: [] as Uint8Array[],
    size: [] as Uint8Array[],
    members: config.segments.map(() => [] as Uint8Array[]),
    clusterColumns: (config.clusters?.features ?? []).map(() => [] as Float64Array[]),
    inScope: [] as Uint8Array[],
  };
  let period: Period | null = null;
  let done = 0;
  const scope = config.clusters?.scope ?? 'retail';
  for (const input of chunks) {
    if (period !== null && input.asOf !== period)
      throw new RangeError(`every chunk must describe ${period}, got ${input.asOf}`);
    period = input.asOf;
    mark = clock();
    const tags = tagChunk(input, config);
    const { frame } = tags;
    lap('tag');
    parts.ids.push(input.customerIds);
    parts.units.push(input.orgUnitIds);
    parts.universe.push(frame.universe);
    parts.retail.push(tags.retail);
    parts.aum.push(frame.number('aum'));
    parts.deposits.push(frame.number('deposits'));
    parts.recency.push(frame.number('recency_days'));
    parts.frequency.push(frame.number('frequency_90d'));
    parts.monetary.push(frame.number('monetary_3m'));
    parts.stage.push(tags.stage);
    parts.previousStage.push(tags.previousStage);
    parts.stageReason.push(tags.stageReason);
    parts.aumTier.push(tags.aumTier);
    parts.corporateTier.push(tags.corporateTier);
    parts.riskTier.push(tags.riskTier);
    parts.size.push(tags.size);
    tags.members.forEach((m, s) => parts.members[s]?.push(m));
    const inScope = new Uint8Array(input.size);
    const want = scope === 'retail' ? 1 : 0;
    let scoped = 0;
    for (let i = 0; i < input.size; i++)
      if (frame.universe[i] === 1 && tags.retail[i] === want) {
        inScope[i] = 1;
        scoped++;
      }
    parts.inScope.push(inScope);
    config.clusters?.features.forEach((key, j) => {
      const col = frame.number(key);
      const out = new Float64Array(scoped);
      const log = logScaled(key);
      let at = 0;
      for (let i = 0; i < input.size; i++)
        if (inScope[i] === 1) {
          const v = col[i] as number;
          out[at++] = log ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
        }
      parts.clusterColumns[j]?.push(out);
    });
    done += input.size;
    options.onChunk?.(done);
    lap('features');
  }
  if (period === null) throw new RangeError('refreshInsight needs at least one chunk');

  const u8 = (n: number) => new Uint8Array(n);
  const f64 = (n: number) => new Float64Array(n);
  const customerIds = concat(parts.ids, (n) => new Int32Array(n));
  const orgUnitIds = concat(parts.units, (n) => new Int32Array(n));
  const universe = concat(parts.universe, u8);
  const retail = concat(parts.retail, u8);
  const aum = concat(parts.aum, f64);
  const deposits = concat(parts.deposits, f64);
  const recency = concat(parts.recency, f64);
  const frequency = concat(parts.frequency, f64);
  const monetary = concat(parts.monetary, f64);
  const n = customerIds.length;

  // RFM quintiles and Pareto classes, within each line of business.
  const line = (wantRetail: number, values: Float64Array) => {
    const out = new Float64Array(n).fill(Number.NaN);
    for (let i = 0; i < n; i++)
      if (universe[i] === 1 && retail[i] === wantRetail) out[i] = values[i] as number;
    return out;
  };
  const cutsOf = (wantRetail: number): RfmCuts => ({
    r: quantileCuts(line(wantRetail, recency), 5),
    f: quantileCuts(line(wantRetail, frequency), 5),
    m: quantileCuts(line(wantRetail, monetary), 5),
  });
  const rfmCuts = { retail: cutsOf(1), corporate: cutsOf(0) };
  const thresholdsOf = (values: Float64Array): [number, number] => {
    const { classes } = paretoClasses(values, config.pareto[0], config.pareto[1]);
    const min = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (let i = 0; i < n; i++) {
      const c = classes[i] as number;
      if (c < 2) min[c] = Math.min(min[c] as number, values[i] as number);
    }
    return [min[0] as number, Math.min(min[0] as number, min[1] as number)];
  };
  const paretoThresholds = {
    retail: thresholdsOf(line(1, aum)),
    corporate: thresholdsOf(line(0, deposits)),
  };
  const rfm = { r: new Uint8Array(n), f: new Uint8Array(n), m: new Uint8Array(n) };
  const pareto = new Uint8Array(n).fill(NO_TIER);
  for (let i = 0; i < n; i++) {
    if (universe[i] !== 1) continue;
    const cuts = retail[i] === 1 ? rfmCuts.retail : rfmCuts.corporate;
    rfm.r[i] = quintileScore(recency[i] as number, cuts.r, false);
    rfm.f[i] = quintileScore(frequency[i] as number, cuts.f, true);
    rfm.m[i] = quintileScore(monetary[i] as number, cuts.m, true);
    pareto[i] =
      retail[i] === 1
        ? paretoClassOf(aum[i] as number, paretoThresholds.retail)
        : paretoClassOf(deposits[i] as number, paretoThresholds.corporate);
  }
  lap('rfm');

  // Clusters.
  const cluster = new Int16Array(n).fill(-1);
  let clusterModel: InsightModel['clusters'] = null;
  let profiles: ClusterProfile[] = [];
  const inScope = concat(parts.inScope, u8);
  if (config.clusters) {
    const cc = config.clusters;
    const columns = parts.clusterColumns.map((p) => concat(p, f64));
    const points = standardize(columns, options.allocatePoints);
    columns.length = 0;
    if (points.n >= cc.k) {
      const result = (options.kmeans ?? kmeans)(points, {
        k: cc.k,
        seed: cc.seed,
        maxIterations: cc.maxIterations,
      });
      const labels = cc.features.map((key) => ({ key, label: FEATURES[key].label }));
      profiles = clusterProfiles(points, result, labels);
      let at = 0;
      for (let i = 0; i < n; i++) if (inScope[i] === 1) cluster[i] = result.labels[at++] as number;
      const d = points.d;
      clusterModel = {
        features: cc.features,
        means: Array.from(points.means),
        stds: Array.from(points.stds),
        centers: Array.from({ length: cc.k }, (_, c) =>
          Array.from(result.centers.subarray(c * d, c * d + d)),
        ),
        names: profiles.map((p) => p.suggestedName),
      };
    }
  }
  lap('cluster');

  // Segments: memberships, primary owner, overlap.
  const members = parts.members.map((p) => concat(p, u8));
  const memberships = config.segments.map((s, k) => ({
    key: s.key,
    priority: s.priority,
    exclusive: s.exclusive,
    members: members[k] as Uint8Array,
  }));
  const resolution = resolvePrimary(memberships);
  const orderIndex = resolution.order.map((key) => config.segments.findIndex((s) => s.key === key));
  const primary = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = resolution.primary[i] as number;
    if (p >= 0) primary[i] = orderIndex[p] as number;
  }
  const segments = config.segments.map((s, k) => {
    const m = members[k] as Uint8Array;
    let count = 0;
    for (let i = 0; i < n; i++) count += m[i] as number;
    const r = resolution.order.indexOf(s.key);
    const eff = resolution.effective[r] as Uint8Array;
    let effectiveCount = 0;
    for (let i = 0; i < n; i++) effectiveCount += eff[i] as number;
    return {
      key: s.key,
      members: m,
      count,
      effectiveCount,
      primaryCount: resolution.primaryCounts[r] ?? 0,
    };
  });
  const overlap = overlapMatrix(memberships);
  lap('segments');

  const stage = concat(parts.stage, u8);
  const tiers = {
    aumTier: concat(parts.aumTier, u8),
    corporateTier: concat(parts.corporateTier, u8),
    riskTier: concat(parts.riskTier, u8),
    size: concat(parts.size, u8),
  };
  const value = (i: number) => (retail[i] === 1 ? (aum[i] as number) : (deposits[i] as number));
  const aggregates = aggregate({
    n,
    universe,
    stage,
    orgUnitIds,
    value,
    dimensions: [
      { dimension: 'primary', codes: primary, labels: config.segments.map((s) => s.key) },
      { dimension: 'aum_tier', codes: tiers.aumTier, labels: config.retailLadder.map((r) => r.id) },
      {
        dimension: 'corporate_tier',
        codes: tiers.corporateTier,
        labels: config.corporateLadder.map((r) => r.id),
      },
      { dimension: 'risk_tier', codes: tiers.riskTier, labels: config.riskTiers.map((r) => r.id) },
      { dimension: 'enterprise_size', codes: tiers.size, labels: SIZES },
      {
        dimension: 'cluster',
        codes: cluster,
        labels: Array.from({ length: config.clusters?.k ?? 0 }, (_, c) => String(c)),
      },
      { dimension: 'pareto', codes: pareto, labels: PARETO_CLASSES },
    ],
    segments: segments.map((s) => ({ key: s.key, members: s.members })),
  });
  lap('aggregate');

  return {
    model: {
      period,
      config,
      rfm: rfmCuts,
      pareto: paretoThresholds,
      clusters: clusterModel,
    },
    size: n,
    customerIds,
    orgUnitIds,
    universe,
    retail,
    aum,
    stage,
    previousStage: concat(parts.previousStage, u8),
    stageReason: concat(parts.stageReason, u8),
    aumTier: tiers.aumTier,
    corporateTier: tiers.corporateTier,
    riskTier: tiers.riskTier,
    enterpriseSize: tiers.size,
    rfm,
    pareto,
    cluster,
    clusterProfiles: profiles,
    segments,
    primary,
    overlap,
    aggregates,
    timings,
  };
}

interface DimensionCodes {
  readonly dimension: InsightDimension;
  readonly codes: ArrayLike<number>;
  readonly labels: readonly string[];
}

/** Customers and value per (dimension value, stage, org unit), for customers known this month. */
function aggregate(a: {
  n: number;
  universe: Uint8Array;
  stage: Uint8Array;
  orgUnitIds: Int32Array;
  value: (i: number) => number;
  dimensions: readonly DimensionCodes[];
  segments: readonly { key: string; members: Uint8Array }[];
}): InsightAggregate[] {
  const units = [...new Set(a.orgUnitIds)].sort((x, y) => x - y);
  const unitIndex = new Map(units.map((u, k) => [u, k]));
  const unitOf = Int32Array.from(a.orgUnitIds, (u) => unitIndex.get(u) as number);
  const S = LIFECYCLE_STAGES.length;
  const out: InsightAggregate[] = [];
  const tally = (
    dimension: InsightDimension,
    labels: readonly string[],
    codeOf: (i: number) => number,
  ) => {
    const V = labels.length;
    const counts = new Float64Array(units.length * V * S);
    const sums = new Float64Array(units.length * V * S);
    for (let i = 0; i < a.n; i++) {
      const s = a.stage[i] as number;
      if (a.universe[i] !== 1 || s === NOT_LINKED) continue;
      const v = codeOf(i);
      if (v < 0 || v >= V) continue;
      const cell = ((unitOf[i] as number) * V + v) * S + s;
      counts[cell] = (counts[cell] as number) + 1;
      const x = a.value(i);
      if (!Number.isNaN(x)) sums[cell] = (sums[cell] as number) + x;
    }
    for (let u = 0; u < units.length; u++)
      for (let v = 0; v < V; v++)
        for (let s = 0; s < S; s++) {
          const cell = (u * V + v) * S + s;
          const customers = counts[cell] as number;
          if (customers > 0)
            out.push({
              dimension,
              value: labels[v] as string,
              orgUnitId: units[u] as number,
              stage: LIFECYCLE_STAGES[s] as string,
              customers,
              aum: sums[cell] as number,
            });
        }
  };
  for (const seg of a.segments) tally('segment', [seg.key], (i) => (seg.members[i] === 1 ? 0 : -1));
  for (const d of a.dimensions) tally(d.dimension, d.labels, (i) => d.codes[i] as number);
  return out;
}
