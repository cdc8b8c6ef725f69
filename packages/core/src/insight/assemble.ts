// The population-wide steps an insight run shares however its per-customer tags were made —
// by `tagChunk` in memory, or by a warehouse running `compileTagsSql`: primary segments and
// overlap from the memberships, the (dimension × stage × org unit) aggregates, and, for tags
// that came back from a warehouse, the whole run around them.
import { NOT_LINKED } from '../lifecycle/frame.js';
import { overlapMatrix, resolvePrimary } from '../segments/overlap.js';
import { NO_TIER } from '../tiers/ladder.js';
import type { Period } from '../util/dates.js';
import { aggregate } from './aggregate.js';
import { SIZES } from './chunk.js';
import type { InsightConfig } from './config.js';
import { PARETO_CLASSES, type InsightAggregate, type InsightRun } from './types.js';

/** The 'primary' value of customers in no segment (not a possible segment key). */
export const NO_SEGMENT = '(none)';

/** Counts, primary owners (index into `config.segments`, -1 for none) and overlap. */
export function segmentResults(
  config: InsightConfig,
  members: readonly Uint8Array[],
  n: number,
): Pick<InsightRun, 'segments' | 'primary' | 'overlap'> {
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
  return { segments, primary, overlap: overlapMatrix(memberships) };
}

/** Customers and value by every dimension of the strategy map (see `aggregate`). */
export function insightAggregates(
  config: InsightConfig,
  a: Pick<
    InsightRun,
    | 'universe'
    | 'stage'
    | 'orgUnitIds'
    | 'primary'
    | 'aumTier'
    | 'corporateTier'
    | 'riskTier'
    | 'cluster'
    | 'pareto'
    | 'segments'
  > & { n: number; size: Uint8Array; value: (i: number) => number },
): InsightAggregate[] {
  return aggregate({
    n: a.n,
    universe: a.universe,
    stage: a.stage,
    orgUnitIds: a.orgUnitIds,
    value: a.value,
    dimensions: [
      // every customer has a row here: those in no segment under NO_SEGMENT (a strategy-map row)
      {
        dimension: 'primary',
        codes: Int16Array.from(a.primary, (p) => (p < 0 ? config.segments.length : p)),
        labels: [...config.segments.map((s) => s.key), NO_SEGMENT],
      },
      { dimension: 'aum_tier', codes: a.aumTier, labels: config.retailLadder.map((r) => r.id) },
      {
        dimension: 'corporate_tier',
        codes: a.corporateTier,
        labels: config.corporateLadder.map((r) => r.id),
      },
      { dimension: 'risk_tier', codes: a.riskTier, labels: config.riskTiers.map((r) => r.id) },
      { dimension: 'enterprise_size', codes: a.size, labels: SIZES },
      {
        dimension: 'cluster',
        codes: a.cluster,
        labels: Array.from({ length: config.clusters?.k ?? 0 }, (_, c) => String(c)),
      },
      { dimension: 'pareto', codes: a.pareto, labels: PARETO_CLASSES },
    ],
    segments: a.segments.map((s) => ({ key: s.key, members: s.members })),
  });
}

/** Per-customer tags computed elsewhere (a warehouse), in columns, ascending customer id. */
export interface ComputedTags {
  readonly customerIds: Int32Array;
  /** NOT_LINKED for customers not known by the month's end. */
  readonly stage: Uint8Array;
  readonly stageReason: Uint8Array;
  readonly previousStage: Uint8Array;
  readonly aumTier: Uint8Array;
  readonly corporateTier: Uint8Array;
  readonly riskTier: Uint8Array;
  /** The month's AUM (retail) or deposits (corporate), NaN if none: the aggregates' value. */
  readonly value: Float64Array;
  /** Per configured segment, in config order. */
  readonly members: readonly Uint8Array[];
}

/** What the tags do not carry: the customers' own attributes, in the same order. */
export interface CustomerFacts {
  readonly orgUnitIds: Int32Array;
  readonly retail: Uint8Array;
  /** Index into SIZES, NO_TIER for retail or unknown. */
  readonly enterpriseSize: Uint8Array;
}

/**
 * An insight run around tags a warehouse computed (`compileTagsSql`): primary segments,
 * overlap and aggregates as `refreshInsight` makes them. RFM, Pareto classes and clusters need
 * every customer's features in memory, so a run made this way has none (`model.rfm`,
 * `model.pareto` and `model.clusters` are null; RFM scores 0, no Pareto class, no cluster).
 */
export function insightRunFromTags(
  tags: ComputedTags,
  facts: CustomerFacts,
  config: InsightConfig,
  period: Period,
  source: string,
): InsightRun {
  const n = tags.customerIds.length;
  if (facts.orgUnitIds.length !== n || facts.retail.length !== n)
    throw new RangeError(`tags for ${n} customers, facts for ${facts.orgUnitIds.length}`);
  if (tags.members.length !== config.segments.length)
    throw new RangeError(
      `tags for ${tags.members.length} segments, the configuration has ${config.segments.length}`,
    );
  const universe = Uint8Array.from(tags.stage, (s) => (s === NOT_LINKED ? 0 : 1));
  const { segments, primary, overlap } = segmentResults(config, tags.members, n);
  const cluster = new Int16Array(n).fill(-1);
  const pareto = new Uint8Array(n).fill(NO_TIER);
  const aum = Float64Array.from(tags.value, (v, i) => (facts.retail[i] === 1 ? v : Number.NaN));
  const aggregates = insightAggregates(config, {
    n,
    universe,
    stage: tags.stage,
    orgUnitIds: facts.orgUnitIds,
    value: (i) => tags.value[i] as number,
    primary,
    aumTier: tags.aumTier,
    corporateTier: tags.corporateTier,
    riskTier: tags.riskTier,
    size: facts.enterpriseSize,
    cluster,
    pareto,
    segments,
  });
  return {
    model: { period, config, rfm: null, pareto: null, clusters: null, source },
    size: n,
    customerIds: tags.customerIds,
    orgUnitIds: facts.orgUnitIds,
    universe,
    retail: facts.retail,
    aum,
    stage: tags.stage,
    previousStage: tags.previousStage,
    stageReason: tags.stageReason,
    aumTier: tags.aumTier,
    corporateTier: tags.corporateTier,
    riskTier: tags.riskTier,
    enterpriseSize: facts.enterpriseSize,
    rfm: { r: new Uint8Array(n), f: new Uint8Array(n), m: new Uint8Array(n) },
    pareto,
    cluster,
    clusterProfiles: [],
    segments,
    primary,
    overlap,
    aggregates,
    timings: {},
  };
}
