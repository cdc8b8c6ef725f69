import { NO_TIER } from '../tiers/ladder.js';

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
