import { kmeans, standardize } from '../clusters/kmeans.js';
import { clusterProfiles, type ClusterProfile } from '../clusters/profile.js';
import { FEATURES } from '../features/catalog.js';
import type { FeatureInput } from '../features/input.js';
import { NO_TIER } from '../tiers/ladder.js';
import { paretoClasses, quantileCuts } from '../tiers/quantile.js';
import type { Period } from '../util/dates.js';
import { DEFAULT_INSIGHT_CONFIG, type InsightConfig } from './config.js';
import { insightAggregates, segmentResults } from './assemble.js';
import type { InsightModel, InsightRun, RefreshInsightOptions, RfmCuts } from './types.js';
import { logScaled, tagChunk } from './chunk.js';
import { paretoClassOf, quintileScore } from './scores.js';

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

export { NO_SEGMENT } from './assemble.js';

/**
 * What the refresh keeps of one chunk of customers: their per-customer tags and the figures the
 * bank-wide steps (RFM, Pareto, clusters, aggregates) need. Plain typed arrays only, so a worker
 * thread can make one (`insightChunk`) and transfer it.
 */
export interface InsightChunk extends Pick<
  InsightRun,
  | 'customerIds'
  | 'orgUnitIds'
  | 'universe'
  | 'retail'
  | 'aum'
  | 'stage'
  | 'previousStage'
  | 'stageReason'
  | 'aumTier'
  | 'corporateTier'
  | 'riskTier'
  | 'enterpriseSize'
> {
  readonly asOf: Period;
  readonly deposits: Float64Array;
  readonly recency: Float64Array;
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  /** One per configured segment, in config order. */
  readonly members: readonly Uint8Array[];
  /** Customers in the clusters' scope (1), in chunk order. */
  readonly inScope: Uint8Array;
  /** One per cluster feature: the in-scope customers' values, log-scaled where money or ratio. */
  readonly clusterColumns: readonly Float64Array[];
}

/**
 * A copy of a chunk whose arrays each own a buffer of their exact size (a chunk's arrays may be
 * views into one large block: transferring those would move the whole block), and the buffers,
 * to hand to `postMessage` as its transfer list.
 */
export function packInsightChunk(chunk: InsightChunk): [InsightChunk, ArrayBuffer[]] {
  const buffers: ArrayBuffer[] = [];
  const own = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
    const copy = a.slice() as T;
    buffers.push(copy.buffer as ArrayBuffer);
    return copy;
  };
  const packed: InsightChunk = {
    asOf: chunk.asOf,
    customerIds: own(chunk.customerIds),
    orgUnitIds: own(chunk.orgUnitIds),
    universe: own(chunk.universe),
    retail: own(chunk.retail),
    aum: own(chunk.aum),
    deposits: own(chunk.deposits),
    recency: own(chunk.recency),
    frequency: own(chunk.frequency),
    monetary: own(chunk.monetary),
    stage: own(chunk.stage),
    previousStage: own(chunk.previousStage),
    stageReason: own(chunk.stageReason),
    aumTier: own(chunk.aumTier),
    corporateTier: own(chunk.corporateTier),
    riskTier: own(chunk.riskTier),
    enterpriseSize: own(chunk.enterpriseSize),
    members: chunk.members.map(own),
    inScope: own(chunk.inScope),
    clusterColumns: chunk.clusterColumns.map(own),
  };
  return [packed, buffers];
}

/** Tags one chunk of customers (`tagChunk`) and keeps what the refresh needs of it. */
export function insightChunk(input: FeatureInput, config: InsightConfig): InsightChunk {
  const tags = tagChunk(input, config);
  const { frame } = tags;
  const scope = config.clusters?.scope ?? 'retail';
  const inScope = new Uint8Array(input.size);
  const want = scope === 'retail' ? 1 : 0;
  let scoped = 0;
  for (let i = 0; i < input.size; i++)
    if (frame.universe[i] === 1 && tags.retail[i] === want) {
      inScope[i] = 1;
      scoped++;
    }
  const clusterColumns = (config.clusters?.features ?? []).map((key) => {
    const col = frame.number(key);
    const out = new Float64Array(scoped);
    const log = logScaled(key);
    let at = 0;
    for (let i = 0; i < input.size; i++)
      if (inScope[i] === 1) {
        const v = col[i] as number;
        out[at++] = log ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
      }
    return out;
  });
  return {
    asOf: input.asOf,
    customerIds: input.customerIds,
    orgUnitIds: input.orgUnitIds,
    universe: frame.universe,
    retail: tags.retail,
    aum: frame.number('aum'),
    deposits: frame.number('deposits'),
    recency: frame.number('recency_days'),
    frequency: frame.number('frequency_90d'),
    monetary: frame.number('monetary_3m'),
    stage: tags.stage,
    previousStage: tags.previousStage,
    stageReason: tags.stageReason,
    aumTier: tags.aumTier,
    corporateTier: tags.corporateTier,
    riskTier: tags.riskTier,
    enterpriseSize: tags.size,
    members: tags.members,
    inScope,
    clusterColumns,
  };
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
  return refreshInsightChunks(
    (function* tagged() {
      for (const input of chunks) yield insightChunk(input, config);
    })(),
    config,
    options,
  );
}

/**
 * `refreshInsight` over chunks already tagged by `insightChunk` — made elsewhere, e.g. by
 * worker threads. The same run as `refreshInsight` over the chunks' inputs, in the same order.
 * Timing `tag`: the time spent waiting for the chunks.
 */
export function refreshInsightChunks(
  chunks: Iterable<InsightChunk>,
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
  for (const chunk of chunks) {
    lap('tag');
    if (period !== null && chunk.asOf !== period)
      throw new RangeError(`every chunk must describe ${period}, got ${chunk.asOf}`);
    if (chunk.members.length !== config.segments.length)
      throw new RangeError('a chunk was tagged with another configuration');
    period = chunk.asOf;
    parts.ids.push(chunk.customerIds);
    parts.units.push(chunk.orgUnitIds);
    parts.universe.push(chunk.universe);
    parts.retail.push(chunk.retail);
    parts.aum.push(chunk.aum);
    parts.deposits.push(chunk.deposits);
    parts.recency.push(chunk.recency);
    parts.frequency.push(chunk.frequency);
    parts.monetary.push(chunk.monetary);
    parts.stage.push(chunk.stage);
    parts.previousStage.push(chunk.previousStage);
    parts.stageReason.push(chunk.stageReason);
    parts.aumTier.push(chunk.aumTier);
    parts.corporateTier.push(chunk.corporateTier);
    parts.riskTier.push(chunk.riskTier);
    parts.size.push(chunk.enterpriseSize);
    chunk.members.forEach((m, s) => parts.members[s]?.push(m));
    parts.inScope.push(chunk.inScope);
    chunk.clusterColumns.forEach((c, j) => parts.clusterColumns[j]?.push(c));
    done += chunk.customerIds.length;
    options.onChunk?.(done);
    mark = clock();
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
        names: profiles.map((p, c) => cc.names?.[c] ?? p.suggestedName),
      };
    }
  }
  lap('cluster');

  // Segments: memberships, primary owner, overlap.
  const { segments, primary, overlap } = segmentResults(
    config,
    parts.members.map((p) => concat(p, u8)),
    n,
  );
  lap('segments');

  const stage = concat(parts.stage, u8);
  const tiers = {
    aumTier: concat(parts.aumTier, u8),
    corporateTier: concat(parts.corporateTier, u8),
    riskTier: concat(parts.riskTier, u8),
    size: concat(parts.size, u8),
  };
  const aggregates = insightAggregates(config, {
    n,
    universe,
    stage,
    orgUnitIds,
    value: (i) => (retail[i] === 1 ? (aum[i] as number) : (deposits[i] as number)),
    primary,
    ...tiers,
    cluster,
    pareto,
    segments,
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
