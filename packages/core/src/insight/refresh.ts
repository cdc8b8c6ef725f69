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

/** The parts end to end, in one array of their type (at least one part). */
function concat<T extends Uint8Array | Int32Array | Float64Array>(parts: readonly T[]): T {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const first = parts[0];
  const Type =
    first instanceof Float64Array
      ? Float64Array
      : first instanceof Int32Array
        ? Int32Array
        : Uint8Array;
  const out = new Type(total) as T;
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

/** The keys of `T` holding one typed array. */
type ColumnOf<T> = {
  [K in keyof T]: T[K] extends Uint8Array | Int32Array | Float64Array ? K : never;
}[keyof T];

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
  // Every typed array (and every one in a list) copied; `asOf` as it is.
  const packed = Object.fromEntries(
    Object.entries(chunk).map(([key, value]: [string, unknown]) => [
      key,
      ArrayBuffer.isView(value)
        ? own(value as Uint8Array)
        : Array.isArray(value)
          ? value.map((v: Uint8Array) => own(v))
          : value,
    ]),
  ) as unknown as InsightChunk;
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

  const list: InsightChunk[] = [];
  let period: Period | null = null;
  let done = 0;
  for (const chunk of chunks) {
    lap('tag');
    if (period !== null && chunk.asOf !== period)
      throw new RangeError(`every chunk must describe ${period}, got ${chunk.asOf}`);
    if (chunk.members.length !== config.segments.length)
      throw new RangeError('a chunk was tagged with another configuration');
    period = chunk.asOf;
    list.push(chunk);
    done += chunk.customerIds.length;
    options.onChunk?.(done);
    mark = clock();
  }
  if (period === null) throw new RangeError('refreshInsight needs at least one chunk');

  // One column of the whole bank from the chunks' parts.
  const joined = <K extends ColumnOf<InsightChunk>>(key: K): InsightChunk[K] =>
    concat(list.map((c) => c[key]));
  const customerIds = joined('customerIds');
  const orgUnitIds = joined('orgUnitIds');
  const universe = joined('universe');
  const retail = joined('retail');
  const aum = joined('aum');
  const deposits = joined('deposits');
  const recency = joined('recency');
  const frequency = joined('frequency');
  const monetary = joined('monetary');
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
  const inScope = joined('inScope');
  if (config.clusters) {
    const cc = config.clusters;
    const columns = cc.features.map((_, j) =>
      concat(list.map((c) => c.clusterColumns[j] as Float64Array)),
    );
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
    config.segments.map((_, k) => concat(list.map((c) => c.members[k] as Uint8Array))),
    n,
  );
  lap('segments');

  const stage = joined('stage');
  const tiers = {
    aumTier: joined('aumTier'),
    corporateTier: joined('corporateTier'),
    riskTier: joined('riskTier'),
    size: joined('enterpriseSize'),
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
    previousStage: joined('previousStage'),
    stageReason: joined('stageReason'),
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
