import { NO_TIER } from './ladder.js';

/**
 * The cut points that split the non-missing values into `q` groups of (nearly) equal size:
 * `q - 1` ascending thresholds.
 */
export function quantileCuts(values: ArrayLike<number>, q: number): number[] {
  if (!Number.isInteger(q) || q < 2) throw new RangeError('q must be a whole number ≥ 2');
  let present = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) present++;
  const sorted = new Float64Array(present);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) sorted[at++] = v;
  }
  if (sorted.length === 0) return [];
  // The (q − 1) order statistics by selection, not a full sort: each search narrows the next.
  const ranks = Array.from({ length: q - 1 }, (_, k) => Math.floor(((k + 1) * sorted.length) / q));
  let lo = 0;
  return ranks.map((rank) => {
    select(sorted, rank, lo, sorted.length - 1);
    lo = rank;
    return (sorted[rank] as number) + 0; // -0 and 0 cut alike; report 0
  });
}

/** Moves the rank-th smallest of a[lo..hi] to a[rank] (smaller before, larger after). */
function select(a: Float64Array, rank: number, lo: number, hi: number): void {
  while (hi > lo) {
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else return;
  }
}

/**
 * Quantile tiers: 0 for the lowest group … q − 1 for the highest, by value, so equal values
 * always share a tier (groups may then be uneven). NaN → NO_TIER.
 * @example quantileTiers(aum, 10) // deciles
 */
export function quantileTiers(values: ArrayLike<number>, q: number): Uint8Array {
  const cuts = quantileCuts(values, q);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (Number.isNaN(v)) {
      out[i] = NO_TIER;
      continue;
    }
    let tier = 0;
    while (tier < cuts.length && v >= (cuts[tier] as number)) tier++;
    out[i] = tier;
  }
  return out;
}

/** RFM scores, 1 (worst) to 5 (best) per dimension; 0 where the input is missing. */
export interface RfmScores {
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
}

/**
 * RFM quintile scores, banking style: R from days since the last customer-initiated activity
 * (fewer days score higher), F from activity in 90 days, M from AUM or contribution.
 */
export function rfmScores(
  recencyDays: ArrayLike<number>,
  frequency: ArrayLike<number>,
  monetary: ArrayLike<number>,
): RfmScores {
  const score = (values: ArrayLike<number>, higherIsBetter: boolean) => {
    const tiers = quantileTiers(values, 5);
    return tiers.map((t) => (t === NO_TIER ? 0 : higherIsBetter ? t + 1 : 5 - t));
  };
  return { r: score(recencyDays, false), f: score(frequency, true), m: score(monetary, true) };
}

/** Pareto (ABC) classes: 0 = A, 1 = B, 2 = C, NO_TIER for missing or non-positive values. */
export interface ParetoResult {
  readonly classes: Uint8Array;
  /** Share of customers (with a positive value) and of value in each class. */
  readonly summary: readonly {
    readonly customers: number;
    readonly customerShare: number;
    readonly valueShare: number;
  }[];
}

/**
 * ABC classes by cumulative share of value: the customers who, largest first, make up the
 * first `a` of the total are A (the one crossing the line included), up to `b` B, the rest C.
 * @example paretoClasses(aum) // with the defaults a = 0.8, b = 0.95
 */
export function paretoClasses(values: ArrayLike<number>, a = 0.8, b = 0.95): ParetoResult {
  if (!(a > 0 && a < b && b <= 1)) throw new RangeError('need 0 < a < b ≤ 1');
  const n = values.length;
  // Largest first, ties by position: a typed sort of the values (a comparator sort over a
  // million indexes took ~0.5 s), then positions only where a tie straddles a class line.
  let m = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? Number.NaN;
    if (v > 0) {
      m++;
      total += v;
    }
  }
  const sorted = new Float64Array(m);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? Number.NaN;
    if (v > 0) sorted[at++] = v;
  }
  sorted.sort().reverse();
  // A customer belongs to the class in which their value starts: the class of each place in
  // that order, and the first place of B and of C. Sums run in that order, as before.
  const counts = [0, 0, 0];
  const sums = [0, 0, 0];
  const firstOf = [m, m, m];
  let before = 0;
  for (let p = 0; p < m; p++) {
    const v = sorted[p] as number;
    const cls = before < a * total ? 0 : before < b * total ? 1 : 2;
    if (firstOf[cls] === m) firstOf[cls] = p;
    counts[cls] = (counts[cls] ?? 0) + 1;
    sums[cls] = (sums[cls] ?? 0) + v;
    before += v;
  }
  // Values at the first place outside A and the first place of C may be shared by customers
  // on both sides of the line: those take places in the order of their positions.
  const startC = firstOf[2] as number;
  const startB = Math.min(firstOf[1] as number, startC);
  const classAt = (p: number) => (p < startB ? 0 : p < startC ? 1 : 2);
  const ties = new Map<number, { place: number }>();
  for (const line of [startB, startC]) {
    if (line >= m) continue;
    const v = sorted[line] as number;
    if (ties.has(v)) continue;
    let first = line;
    while (first > 0 && sorted[first - 1] === v) first--;
    ties.set(v, { place: first });
  }
  const valueAtB = startB < m ? (sorted[startB] as number) : 0;
  const valueAtC = startC < m ? (sorted[startC] as number) : 0;
  const classes = new Uint8Array(n).fill(NO_TIER);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? Number.NaN;
    if (!(v > 0)) continue;
    const tie = ties.get(v);
    classes[i] = tie ? classAt(tie.place++) : v > valueAtB ? 0 : v > valueAtC ? 1 : 2;
  }
  const summary = [0, 1, 2].map((k) => ({
    customers: counts[k] ?? 0,
    customerShare: m === 0 ? 0 : (counts[k] ?? 0) / m,
    valueShare: total === 0 ? 0 : (sums[k] ?? 0) / total,
  }));
  return { classes, summary };
}
