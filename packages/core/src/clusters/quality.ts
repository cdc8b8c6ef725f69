import { createRng } from '../util/random.js';
import { kmeans, type Points } from './kmeans.js';

/** Inertia for each k in a range: where adding a cluster stops paying, the elbow. */
export function elbow(
  points: Points,
  ks: readonly number[],
  seed = 1,
): { k: number; inertia: number }[] {
  return ks.map((k) => ({ k, inertia: kmeans(points, { k, seed }).inertia }));
}

/**
 * The mean silhouette of a clustering (−1 … 1; higher is better separated), computed on a
 * seeded random sample of at most `sampleSize` points, as scikit-learn's `sample_size` does.
 */
export function silhouette(
  points: Points,
  labels: Int32Array,
  sampleSize = 2_000,
  seed = 1,
): number {
  const { data, n, d } = points;
  let sample = Array.from({ length: n }, (_, i) => i);
  if (n > sampleSize) {
    const rng = createRng(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [sample[i], sample[j]] = [sample[j] as number, sample[i] as number];
    }
    sample = sample.slice(0, sampleSize);
  }
  const clusters = Math.max(...sample.map((i) => labels[i] as number)) + 1;
  const counts = new Float64Array(clusters);
  for (const i of sample) counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
  let total = 0;
  let scored = 0;
  const sums = new Float64Array(clusters);
  for (const i of sample) {
    sums.fill(0);
    for (const j of sample) {
      if (i === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = (data[i * d + t] as number) - (data[j * d + t] as number);
        s += x * x;
      }
      sums[labels[j] as number] = (sums[labels[j] as number] as number) + Math.sqrt(s);
    }
    const own = labels[i] as number;
    const ownCount = (counts[own] as number) - 1;
    if (ownCount === 0) continue; // a singleton scores 0 and is left out, as in scikit-learn
    const a = (sums[own] as number) / ownCount;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < clusters; c++)
      if (c !== own && (counts[c] as number) > 0)
        b = Math.min(b, (sums[c] as number) / (counts[c] as number));
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b);
    scored++;
  }
  return scored === 0 ? 0 : total / sample.length;
}
