import { FEATURES, type FeatureKey } from '../features/catalog.js';
import type { FeatureFrame } from '../features/frame.js';
import { clusterValue } from '../insight/chunk.js';
import { createRng } from '../util/random.js';
import { kmeans, standardize } from './kmeans.js';
import { clusterProfiles, type ClusterProfile } from './profile.js';
import { silhouette } from './quality.js';
import type { Condition } from '../rules/schema.js';

/** What the clustering lab is asked. */
export interface ClusteringLabOptions {
  /** Numeric features to cluster on (money and ratios are log-scaled, then all standardised). */
  readonly features: readonly FeatureKey[];
  /** The values of k to try. */
  readonly ks: readonly number[];
  readonly scope: 'retail' | 'corporate';
  /** At most this many customers, drawn with the seed (all of them if fewer). @default 20000 */
  readonly sample?: number;
  /** Points the silhouette is computed on. @default 2000 */
  readonly silhouetteSample?: number;
  /** @default 1 */
  readonly seed?: number;
}

/** One k tried: inertia for the elbow, silhouette, and the clusters' profiles. */
export interface ClusteringLabRun {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number;
  readonly iterations: number;
  readonly profiles: readonly ClusterProfile[];
  /**
   * Per cluster (same order as `profiles`), a rule approximating it in business terms, to save
   * as a segment: its customer type and up to three of its most distinctive features, each cut at
   * the cluster's own quartile (≥ its 25th percentile where it is high, ≤ its 75th where low).
   * It selects most of the cluster and some customers outside it; the segment preview shows how
   * many. Null when no feature sets the cluster apart (|z| < 0.5).
   */
  readonly rules: readonly (Condition | null)[];
}

/** The lab's answer: one run per k, and how many customers were clustered out of how many. */
export interface ClusteringLabResult {
  readonly clustered: number;
  readonly population: number;
  readonly runs: readonly ClusteringLabRun[];
}

/**
 * The clustering lab: k-means++ for each k on a seeded sample of the customers in scope, with
 * elbow (inertia), silhouette and cluster profiles (z-scores, suggested names) per k, so an
 * analyst can choose k and name the clusters.
 */
export function clusteringLab(
  frame: FeatureFrame,
  options: ClusteringLabOptions,
): ClusteringLabResult {
  for (const key of options.features)
    if (FEATURES[key]?.type !== 'number') throw new RangeError(`${key} is not a numeric feature`);
  if (options.features.length === 0) throw new RangeError('choose at least one feature');
  const kind = frame.category('kind');
  const want = kind.values.indexOf(options.scope);
  const population: number[] = [];
  for (let i = 0; i < frame.size; i++)
    if (frame.universe[i] === 1 && kind.codes[i] === want) population.push(i);
  const limit = options.sample ?? 20_000;
  let chosen = population;
  if (population.length > limit) {
    const rng = createRng(options.seed ?? 1);
    chosen = [...population];
    for (let j = 0; j < limit; j++) {
      const r = j + Math.floor(rng.next() * (chosen.length - j));
      [chosen[j], chosen[r]] = [chosen[r] as number, chosen[j] as number];
    }
    chosen = chosen.slice(0, limit).sort((a, b) => a - b);
  }
  const columns = options.features.map((key) => {
    const col = frame.number(key);
    return Float64Array.from(chosen, (i) => clusterValue(key, col[i] ?? Number.NaN));
  });
  const points = standardize(columns);
  // the same customers' untransformed values, for rules people can read
  const raw = new Map(
    options.features.map((key) => {
      const col = frame.number(key);
      return [key, Float64Array.from(chosen, (i) => col[i] ?? Number.NaN)] as const;
    }),
  );
  const labels = options.features.map((key) => ({ key, label: FEATURES[key].label }));
  const runs = options.ks
    .filter((k) => k >= 2 && k <= points.n)
    .map((k) => {
      const result = kmeans(points, { k, seed: options.seed ?? 1 });
      const profiles = clusterProfiles(points, result, labels);
      return {
        k,
        inertia: result.inertia,
        silhouette: silhouette(
          points,
          result.labels,
          options.silhouetteSample ?? 2_000,
          options.seed ?? 1,
        ),
        iterations: result.iterations,
        profiles,
        rules: profiles.map((p) => approximateRule(p, result.labels, raw, options)),
      };
    });
  return { clustered: chosen.length, population: population.length, runs };
}

/** Three significant digits: thresholds people read. */
function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const p = 10 ** (2 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * p) / p;
}

/** The value at quantile q of sorted values (linear between neighbours). */
function quantile(sorted: Float64Array, q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

function approximateRule(
  profile: ClusterProfile,
  labels: ArrayLike<number>,
  raw: ReadonlyMap<FeatureKey, Float64Array>,
  options: ClusteringLabOptions,
): Condition | null {
  const parts: Condition[] = [];
  for (const top of profile.top) {
    if (Math.abs(top.z) < 0.5) continue;
    const column = raw.get(top.feature as FeatureKey);
    if (!column) continue;
    const values: number[] = [];
    for (let i = 0; i < labels.length; i++)
      if (labels[i] === profile.cluster && !Number.isNaN(column[i] as number))
        values.push(column[i] as number);
    if (values.length === 0) continue;
    const sorted = Float64Array.from(values).sort();
    parts.push({
      kind: 'cmp',
      field: top.feature as FeatureKey,
      op: top.z > 0 ? '>=' : '<=',
      value: round3(quantile(sorted, top.z > 0 ? 0.25 : 0.75)),
    });
  }
  if (parts.length === 0) return null;
  return {
    kind: 'and',
    of: [{ kind: 'cmp', field: 'kind', op: '=', value: options.scope }, ...parts],
  };
}
