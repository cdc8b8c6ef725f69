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
