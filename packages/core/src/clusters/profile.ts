import type { Localized } from '../util/i18n.js';
import type { KMeansResult, Points } from './kmeans.js';

/** What sets a cluster apart: its size and each feature's mean z-score. */
export interface ClusterProfile {
  readonly cluster: number;
  readonly size: number;
  readonly share: number;
  /** Mean z-score per feature (same order as the features given). */
  readonly z: readonly number[];
  /** The features that set it apart most, largest |z| first. */
  readonly top: readonly { readonly feature: string; readonly z: number }[];
  /** A suggested name an analyst can accept or edit, e.g. 高管理资产·低交易笔数. */
  readonly suggestedName: Localized;
}

/**
 * Profiles of a clustering of standardised points.
 * @param features the key and label of each dimension, in the points' column order
 */
export function clusterProfiles(
  points: Points,
  result: KMeansResult,
  features: readonly { readonly key: string; readonly label: Localized }[],
  topN = 3,
): ClusterProfile[] {
  const { data, n, d } = points;
  if (features.length !== d)
    throw new RangeError(`need ${d} feature labels, got ${features.length}`);
  const sums = new Float64Array(result.k * d);
  const sizes = new Float64Array(result.k);
  for (let i = 0; i < n; i++) {
    const c = result.labels[i] as number;
    sizes[c] = (sizes[c] as number) + 1;
    for (let j = 0; j < d; j++)
      sums[c * d + j] = (sums[c * d + j] as number) + (data[i * d + j] as number);
  }
  return Array.from({ length: result.k }, (_, c) => {
    const size = sizes[c] as number;
    const z = Array.from({ length: d }, (_, j) =>
      size === 0 ? 0 : (sums[c * d + j] as number) / size,
    );
    const top = z
      .map((value, j) => ({
        feature: features[j]?.key ?? String(j),
        z: value,
        label: features[j]?.label,
      }))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, topN);
    const named = top.filter((t) => Math.abs(t.z) >= 0.25).slice(0, 2);
    const suggestedName: Localized =
      named.length === 0
        ? { 'zh-CN': '均衡客群', en: 'Average' }
        : {
            'zh-CN': named
              .map((t) => `${t.z > 0 ? '高' : '低'}${t.label?.['zh-CN'] ?? t.feature}`)
              .join('·'),
            en: named
              .map((t) => `${t.z > 0 ? 'high' : 'low'} ${t.label?.en ?? t.feature}`)
              .join(' · '),
          };
    return {
      cluster: c,
      size,
      share: n === 0 ? 0 : size / n,
      z,
      top: top.map(({ feature, z: v }) => ({ feature, z: v })),
      suggestedName,
    };
  });
}
