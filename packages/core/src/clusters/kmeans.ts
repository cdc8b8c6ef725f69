import { createRng, type Rng } from '../util/random.js';

/** Points in d dimensions, row-major: point i is `data[i*d … i*d+d-1]`. */
export interface Points {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

/** The result of `standardize`: z-scores, and the means and deviations used. */
export interface Standardized extends Points {
  readonly means: Float64Array;
  readonly stds: Float64Array;
}

/**
 * Z-scores of columns (one Float64Array per feature, NaN = missing) as points. A missing value
 * becomes 0 (the mean); a constant column becomes all 0.
 */
export function standardize(columns: readonly ArrayLike<number>[]): Standardized {
  const d = columns.length;
  const n = columns[0]?.length ?? 0;
  const means = new Float64Array(d);
  const stds = new Float64Array(d);
  const data = new Float64Array(n * d);
  columns.forEach((col, j) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i] ?? Number.NaN;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    const mean = count === 0 ? 0 : sum / count;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i] ?? Number.NaN;
      if (!Number.isNaN(v)) sq += (v - mean) ** 2;
    }
    const std = count === 0 ? 0 : Math.sqrt(sq / count);
    means[j] = mean;
    stds[j] = std;
    for (let i = 0; i < n; i++) {
      const v = col[i] ?? Number.NaN;
      data[i * d + j] = Number.isNaN(v) || std === 0 ? 0 : (v - mean) / std;
    }
  });
  return { data, n, d, means, stds };
}

function distance2(a: Float64Array, i: number, b: Float64Array, c: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bc = c * d;
  for (let j = 0; j < d; j++) {
    const x = (a[ai + j] as number) - (b[bc + j] as number);
    s += x * x;
  }
  return s;
}

/**
 * k-means++ seeding: the first centre uniformly, each next one with probability proportional
 * to the squared distance to the nearest centre chosen so far.
 */
export function kmeansPlusPlus(points: Points, k: number, rng: Rng): Float64Array {
  const { data, n, d } = points;
  if (k < 1 || k > n) throw new RangeError(`k must be between 1 and the number of points (${n})`);
  const centers = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(rng.next() * n);
  for (let c = 0; c < k; c++) {
    centers.set(data.subarray(pick * d, pick * d + d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dist = distance2(data, i, centers, c, d);
      if (dist < (nearest[i] as number)) nearest[i] = dist;
      total += nearest[i] as number;
    }
    if (c + 1 === k) break;
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i] as number;
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  return centers;
}

/** Options for `kmeans`. */
export interface KMeansOptions {
  readonly k: number;
  /** Seeds k-means++ (and nothing else: the rest is deterministic). @default 1 */
  readonly seed?: number;
  /** @default 100 */
  readonly maxIterations?: number;
  /** Initial centres (k × d, row-major) instead of k-means++, e.g. to compare with another library. */
  readonly init?: Float64Array;
  /**
   * 'elkan' (default) skips the distance computations the triangle inequality proves useless
   * and updates centre sums incrementally; 'lloyd' computes every distance every iteration.
   * Both make exactly the same assignments, iteration by iteration.
   */
  readonly algorithm?: 'elkan' | 'lloyd';
}

/** A clustering: centres, each point's cluster, and the within-cluster sum of squares. */
export interface KMeansResult {
  readonly k: number;
  readonly centers: Float64Array;
  readonly labels: Int32Array;
  readonly sizes: Int32Array;
  /** Sum of squared distances of points to their centre. */
  readonly inertia: number;
  readonly iterations: number;
}

/** Nearest centre of every point (ties to the lower index), and the inertia. */
function assignAll(points: Points, centers: Float64Array, k: number, labels: Int32Array): number {
  const { data, n, d } = points;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const dist = distance2(data, i, centers, c, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestDist;
  }
  return inertia;
}

/**
 * Moves each empty cluster's centre onto the point farthest from its own centre, in cluster
 * order (the same rule for both algorithms). Returns true if any cluster was empty.
 */
function reseedEmpty(
  points: Points,
  centers: Float64Array,
  sizes: Int32Array,
  labels: Int32Array,
  k: number,
): boolean {
  const { data, n, d } = points;
  let any = false;
  for (let c = 0; c < k; c++) {
    if ((sizes[c] as number) > 0) continue;
    any = true;
    let far = 0;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      const dist = distance2(data, i, centers, labels[i] as number, d);
      if (dist > farDist) {
        farDist = dist;
        far = i;
      }
    }
    centers.set(data.subarray(far * d, far * d + d), c * d);
  }
  return any;
}

function lloyd(points: Points, centers: Float64Array, k: number, maxIterations: number) {
  const { data, n, d } = points;
  const labels = new Int32Array(n);
  const previous = new Int32Array(n);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  assignAll(points, centers, k, labels);
  let iterations = 0;
  for (;;) {
    if (iterations > 0) {
      previous.set(labels);
      assignAll(points, centers, k, labels);
      let changed = 0;
      for (let i = 0; i < n; i++) if (labels[i] !== previous[i]) changed++;
      if (changed === 0) break;
    }
    if (iterations === maxIterations) break;
    sizes.fill(0);
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      sizes[c] = (sizes[c] as number) + 1;
      for (let j = 0; j < d; j++)
        sums[c * d + j] = (sums[c * d + j] as number) + (data[i * d + j] as number);
    }
    for (let c = 0; c < k; c++) {
      const size = sizes[c] as number;
      if (size > 0)
        for (let j = 0; j < d; j++) centers[c * d + j] = (sums[c * d + j] as number) / size;
    }
    reseedEmpty(points, centers, sizes, labels, k);
    iterations++;
  }
  return { labels, iterations };
}

/**
 * Elkan's k-means (2003): an upper bound on each point's distance to its own centre and a
 * lower bound on its distance to every other centre, kept valid as centres move by the
 * triangle inequality. A centre is only measured when the bounds cannot rule it out, so after
 * the first iterations most points cost one comparison. Same assignments as Lloyd, iteration
 * by iteration; centre sums are updated only for points that move.
 *
 * The bounds are anchored rather than updated: each centre's total drift so far is kept, a
 * bound is stored together with the drift at the time it was set, and read as "stored minus
 * (or plus) the drift since". That removes the n × k pass per iteration that textbook Elkan
 * spends loosening bounds. A small slack keeps the rounding of those sums on the safe side.
 */
function elkan(points: Points, centers: Float64Array, k: number, maxIterations: number) {
  const { data, n, d } = points;
  const labels = new Int32Array(n);
  // upper[i] + drift[labels[i]] bounds the distance to the own centre from above;
  // lower[i*k+c] - drift[c] bounds the distance to centre c from below.
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const tight = new Uint8Array(n);
  const drift = new Float64Array(k);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  const halfCc = new Float64Array(k * k);
  const nearest = new Float64Array(k);
  const old = new Float64Array(k * d);
  let slack = 0;

  const dist = (i: number, c: number) => {
    const at = i * d;
    const cd = c * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const x = (data[at + j] as number) - (centers[cd + j] as number);
      s += x * x;
    }
    return Math.sqrt(s);
  };
  const add = (i: number, c: number, sign: number) => {
    const at = i * d;
    const cd = c * d;
    sizes[c] = (sizes[c] as number) + sign;
    for (let j = 0; j < d; j++)
      sums[cd + j] = (sums[cd + j] as number) + sign * (data[at + j] as number);
  };
  const centreGaps = () => {
    nearest.fill(Number.POSITIVE_INFINITY);
    for (let a = 0; a < k; a++)
      for (let b = a + 1; b < k; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const x = (centers[a * d + j] as number) - (centers[b * d + j] as number);
          s += x * x;
        }
        const h = Math.sqrt(s) / 2;
        halfCc[a * k + b] = h;
        halfCc[b * k + a] = h;
        if (h < (nearest[a] as number)) nearest[a] = h;
        if (h < (nearest[b] as number)) nearest[b] = h;
      }
  };

  // First assignment, ties to the lower index (as Lloyd). A centre c is skipped when half its
  // distance to the best so far already exceeds the best distance (then d(x, c) ≥ 2h − best).
  centreGaps();
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let best = 0;
    let bestDist = dist(i, 0);
    lower[row] = bestDist;
    for (let c = 1; c < k; c++) {
      const h = halfCc[best * k + c] as number;
      if (bestDist <= h) {
        lower[row + c] = 2 * h - bestDist;
        continue;
      }
      const x = dist(i, c);
      lower[row + c] = x;
      if (x < bestDist) {
        bestDist = x;
        best = c;
      }
    }
    labels[i] = best;
    upper[i] = bestDist;
    tight[i] = 1;
    add(i, best, 1);
  }

  let iterations = 0;
  for (;;) {
    if (iterations > 0) {
      centreGaps();
      let changed = 0;
      for (let i = 0; i < n; i++) {
        let a = labels[i] as number;
        let u = (upper[i] as number) + (drift[a] as number) + slack;
        if (u <= (nearest[a] as number)) continue;
        const row = i * k;
        let isTight = tight[i] === 1;
        if (isTight) u -= slack;
        const from = a;
        for (let c = 0; c < k; c++) {
          if (c === a) continue;
          const l = (lower[row + c] as number) - (drift[c] as number) - slack;
          if (u <= l || u <= (halfCc[a * k + c] as number)) continue;
          if (!isTight) {
            u = dist(i, a);
            lower[row + a] = u + (drift[a] as number);
            isTight = true;
            if (u <= l || u <= (halfCc[a * k + c] as number)) continue;
          }
          const x = dist(i, c);
          lower[row + c] = x + (drift[c] as number);
          if (x < u || (x === u && c < a)) {
            a = c;
            u = x;
          }
        }
        if (isTight) {
          upper[i] = u - (drift[a] as number);
          tight[i] = 1;
        }
        if (a !== from) {
          labels[i] = a;
          add(i, from, -1);
          add(i, a, 1);
          changed++;
        }
      }
      if (changed === 0) break;
    }
    if (iterations === maxIterations) break;
    // Move the centres; the bounds loosen by each centre's drift, read lazily.
    old.set(centers);
    for (let c = 0; c < k; c++) {
      const size = sizes[c] as number;
      if (size > 0)
        for (let j = 0; j < d; j++) centers[c * d + j] = (sums[c * d + j] as number) / size;
    }
    const reseeded = reseedEmpty(points, centers, sizes, labels, k);
    let total = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = (centers[c * d + j] as number) - (old[c * d + j] as number);
        s += x * x;
      }
      drift[c] = (drift[c] as number) + Math.sqrt(s);
      total = Math.max(total, drift[c] as number);
    }
    // Rounding of the stored sums is at most a few ulps of the largest value involved.
    slack =
      1e-12 *
      (1 +
        total +
        (nearest.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0) as number) * 4);
    tight.fill(0);
    if (reseeded) lower.fill(Number.NEGATIVE_INFINITY); // a re-seeded centre may now be anyone's nearest
    iterations++;
  }
  return { labels, iterations };
}

/**
 * k-means from k-means++ (or given) centres, until no point changes cluster or
 * `maxIterations` centre updates have been made (`iterations` counts the updates). An empty cluster takes the point farthest from its
 * centre. Labels, centres and inertia always agree (the labels are the nearest centres).
 * @example kmeans(standardize([aum, frequency, productTypes]), { k: 6, seed: 7 })
 */
export function kmeans(points: Points, options: KMeansOptions): KMeansResult {
  const { n } = points;
  const { k } = options;
  const centers = options.init
    ? Float64Array.from(options.init)
    : kmeansPlusPlus(points, k, createRng(options.seed ?? 1));
  if (centers.length !== k * points.d)
    throw new RangeError(`init must hold k × d = ${k * points.d} numbers`);
  const maxIterations = options.maxIterations ?? 100;
  const { labels, iterations } =
    options.algorithm === 'lloyd'
      ? lloyd(points, centers, k, maxIterations)
      : elkan(points, centers, k, maxIterations);
  // Labels are the nearest centres (the last assignment follows the last move, as in
  // scikit-learn); the inertia is summed from exact distances.
  let inertia = 0;
  for (let i = 0; i < n; i++)
    inertia += distance2(points.data, i, centers, labels[i] as number, points.d);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++)
    sizes[labels[i] as number] = (sizes[labels[i] as number] as number) + 1;
  return { k, centers, labels, sizes, inertia, iterations };
}
