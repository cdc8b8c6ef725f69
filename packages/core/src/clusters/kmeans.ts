import { createRng, type Rng } from '../util/random.js';
import { ElkanShard, elkanCentres, elkanShardState, localShards, runElkan } from './elkan.js';
import { WasmElkanShard, wasmAvailable } from './elkan-wasm.js';

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
export function standardize(
  columns: readonly ArrayLike<number>[],
  /** Where the points go, e.g. `(bytes) => new SharedArrayBuffer(bytes)` for worker threads. */
  allocate: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): Standardized {
  const d = columns.length;
  const n = columns[0]?.length ?? 0;
  const means = new Float64Array(d);
  const stds = new Float64Array(d);
  const data = new Float64Array(allocate(Math.max(8, n * d * 8)), 0, n * d);
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
   * and updates centre sums incrementally, in WebAssembly with SIMD where available (else
   * JavaScript); 'elkan-js' forces the JavaScript version; 'lloyd' computes every distance.
   * Both make exactly the same assignments, iteration by iteration.
   */
  readonly algorithm?: 'elkan' | 'elkan-js' | 'lloyd';
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

function elkan(
  points: Points,
  centers: Float64Array,
  k: number,
  maxIterations: number,
  engine: 'wasm' | 'js',
) {
  const { data, n, d } = points;
  const g = elkanCentres(centers, k, d);
  if (engine === 'wasm') {
    const shard = new WasmElkanShard(data, 0, n, d, k);
    const iterations = runElkan(localShards([shard]), g, data, maxIterations);
    return { labels: Int32Array.from(shard.labels), iterations };
  }
  const shard = new ElkanShard(data, 0, n, elkanShardState(n, k));
  const iterations = runElkan(localShards([shard]), g, data, maxIterations);
  return { labels: shard.state.labels, iterations };
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
      : elkan(
          points,
          centers,
          k,
          maxIterations,
          options.algorithm === 'elkan-js' || !wasmAvailable() ? 'js' : 'wasm',
        );
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
