/**
 * Elkan's k-means (2003), split so that the per-point work can run on several threads: an
 * `ElkanShard` owns a range of points (their labels and bounds) and does the assignment passes;
 * `runElkan` moves the centres between passes. `kmeans` runs one shard in-process; a host with
 * threads (e.g. `@strata/parallel`) runs one shard per worker over shared memory.
 *
 * Each point keeps an upper bound on the distance to its own centre and a lower bound on the
 * distance to every other centre, kept valid as centres move by the triangle inequality; a
 * centre is measured only when the bounds cannot rule it out. The bounds are anchored rather
 * than updated: each centre's total drift is kept, a bound is stored with the drift at the
 * time it was set and read as "stored ∓ the drift since", which removes the n × k pass per
 * iteration that textbook Elkan spends loosening bounds. A small slack keeps the rounding of
 * those sums on the safe side. The assignments are Lloyd's, iteration by iteration.
 */

/** What the centre-moving loop shares with the shards each pass. */
export interface ElkanCentres {
  readonly k: number;
  readonly d: number;
  /** k × d, row-major. */
  readonly centers: Float64Array;
  /** k × k: half the distance between each pair of centres. */
  readonly halfCc: Float64Array;
  /** Per centre: half the distance to its nearest other centre. */
  readonly nearest: Float64Array;
  /** Per centre: how far it has moved in total. */
  readonly drift: Float64Array;
  /** Allowance for rounding in the anchored bounds. */
  slack: number;
}

/** The per-point state of a range of points; arrays may live in shared memory. */
export interface ElkanShardState {
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly tight: Uint8Array;
}

/** Allocates the state of `count` points for k centres (in `make`'s memory, e.g. shared). */
export function elkanShardState(
  count: number,
  k: number,
  make: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): ElkanShardState {
  return {
    labels: new Int32Array(make(count * 4)),
    upper: new Float64Array(make(count * 8)),
    lower: new Float64Array(make(count * k * 8)),
    tight: new Uint8Array(make(count)),
  };
}

/**
 * The distance between the point at `data[at…]` and the centre at `centers[cd…]`, summing even
 * coordinates and odd ones in two accumulators (so the adds do not wait on each other) — the
 * lane order of the WebAssembly kernel, which is why both give bit-identical distances.
 */
export function laneDistance(
  data: Float64Array,
  at: number,
  centers: Float64Array,
  cd: number,
  d: number,
): number {
  const end = at + d;
  let s0 = 0;
  let s1 = 0;
  for (; at + 1 < end; at += 2, cd += 2) {
    const x = (data[at] as number) - (centers[cd] as number);
    const y = (data[at + 1] as number) - (centers[cd + 1] as number);
    s0 += x * x;
    s1 += y * y;
  }
  if (at < end) {
    const x = (data[at] as number) - (centers[cd] as number);
    s0 += x * x;
  }
  return Math.sqrt(s0 + s1);
}

/** The points [start, end) of a data set, with their labels and bounds. */
export class ElkanShard {
  constructor(
    readonly data: Float64Array,
    readonly start: number,
    readonly end: number,
    readonly state: ElkanShardState,
  ) {}

  private dist(i: number, c: number, centers: Float64Array, d: number): number {
    return laneDistance(this.data, i * d, centers, c * d, d);
  }

  private add(
    i: number,
    c: number,
    sign: number,
    d: number,
    sizes: Int32Array,
    sums: Float64Array,
  ) {
    const at = i * d;
    const cd = c * d;
    sizes[c] = (sizes[c] as number) + sign;
    for (let j = 0; j < d; j++)
      sums[cd + j] = (sums[cd + j] as number) + sign * (this.data[at + j] as number);
  }

  /**
   * The first assignment (ties to the lower index, as Lloyd), adding every point to `sizes`
   * and `sums`. A centre is skipped when half its distance to the best so far exceeds the best
   * distance; its lower bound is then 2h − best.
   */
  assignFirst(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): void {
    const { k, d, centers, halfCc } = g;
    const { labels, upper, lower, tight } = this.state;
    for (let i = this.start; i < this.end; i++) {
      const p = i - this.start;
      const row = p * k;
      let best = 0;
      let bestDist = this.dist(i, 0, centers, d);
      lower[row] = bestDist;
      for (let c = 1; c < k; c++) {
        const h = halfCc[best * k + c] as number;
        if (bestDist <= h) {
          lower[row + c] = 2 * h - bestDist;
          continue;
        }
        const x = this.dist(i, c, centers, d);
        lower[row + c] = x;
        if (x < bestDist) {
          bestDist = x;
          best = c;
        }
      }
      labels[p] = best;
      upper[p] = bestDist;
      tight[p] = 1;
      this.add(i, best, 1, d, sizes, sums);
    }
  }

  /** One bounded assignment pass; moves are added to `sizes`/`sums` as deltas. Returns the moves. */
  step(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): number {
    const { k, d, centers, halfCc, nearest, drift, slack } = g;
    const { labels, upper, lower, tight } = this.state;
    let changed = 0;
    for (let i = this.start; i < this.end; i++) {
      const p = i - this.start;
      let a = labels[p] as number;
      let u = (upper[p] as number) + (drift[a] as number) + slack;
      if (u <= (nearest[a] as number)) continue;
      const row = p * k;
      let isTight = tight[p] === 1;
      if (isTight) u -= slack;
      const from = a;
      for (let c = 0; c < k; c++) {
        if (c === a) continue;
        const l = (lower[row + c] as number) - (drift[c] as number) - slack;
        if (u <= l || u <= (halfCc[a * k + c] as number)) continue;
        if (!isTight) {
          u = this.dist(i, a, centers, d);
          lower[row + a] = u + (drift[a] as number);
          isTight = true;
          // Exact now: within half the gap to the nearest other centre, nothing can be closer.
          if (u <= (nearest[a] as number)) break;
          if (u <= l || u <= (halfCc[a * k + c] as number)) continue;
        }
        const x = this.dist(i, c, centers, d);
        lower[row + c] = x + (drift[c] as number);
        if (x < u || (x === u && c < a)) {
          a = c;
          u = x;
        }
      }
      if (isTight) {
        upper[p] = u - (drift[a] as number);
        tight[p] = 1;
      }
      if (a !== from) {
        labels[p] = a;
        this.add(i, from, -1, d, sizes, sums);
        this.add(i, a, 1, d, sizes, sums);
        changed++;
      }
    }
    return changed;
  }

  /** Marks every bound loose (after the centres moved). */
  loosen(): void {
    this.state.tight.fill(0);
  }

  /** After a centre was re-seeded: no lower bound can be trusted. */
  forgetLowerBounds(): void {
    this.state.lower.fill(Number.NEGATIVE_INFINITY);
  }

  /** Sum of squared distances of the shard's points to their centres. */
  inertia(centers: Float64Array, d: number): number {
    let total = 0;
    for (let i = this.start; i < this.end; i++) {
      const x = this.dist(i, this.state.labels[i - this.start] as number, centers, d);
      total += x * x;
    }
    return total;
  }

  /** The point farthest from its own centre: [index, squared distance]. */
  farthest(centers: Float64Array, d: number): [number, number] {
    let far = this.start;
    let farDist = -1;
    for (let i = this.start; i < this.end; i++) {
      const x = this.dist(i, this.state.labels[i - this.start] as number, centers, d);
      if (x * x > farDist) {
        farDist = x * x;
        far = i;
      }
    }
    return [far, farDist];
  }
}

/** The shards of a run, local or on other threads. Sums and sizes come back as totals. */
export interface ElkanShards {
  assignFirst(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): void;
  /** Adds every shard's moves to sizes/sums; returns the number of moves. */
  step(g: ElkanCentres, sizes: Int32Array, sums: Float64Array): number;
  loosen(): void;
  forgetLowerBounds(): void;
  farthest(centers: Float64Array, d: number): [number, number];
}

/** What a shard does: `ElkanShard` in JavaScript, `WasmElkanShard` in WebAssembly. */
export type ElkanShardLike = Pick<
  ElkanShard,
  'assignFirst' | 'step' | 'loosen' | 'forgetLowerBounds' | 'farthest' | 'inertia'
>;

/** Shards run one after another in this thread. */
export function localShards(shards: readonly ElkanShardLike[]): ElkanShards {
  return {
    assignFirst: (g, sizes, sums) => shards.forEach((s) => s.assignFirst(g, sizes, sums)),
    step: (g, sizes, sums) => shards.reduce((a, s) => a + s.step(g, sizes, sums), 0),
    loosen: () => shards.forEach((s) => s.loosen()),
    forgetLowerBounds: () => shards.forEach((s) => s.forgetLowerBounds()),
    farthest: (centers, d) =>
      shards
        .map((s) => s.farthest(centers, d))
        .reduce((best, x) => (x[1] > best[1] ? x : best), [0, -1] as [number, number]),
  };
}

function centreGaps(g: ElkanCentres): void {
  const { k, d, centers, halfCc, nearest } = g;
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
}

/**
 * The centre-moving loop of Elkan's k-means over some shards. `g.centers` holds the initial
 * centres and, on return, the final ones. Returns the number of centre updates; the shards'
 * labels are then the nearest centres.
 */
export function runElkan(
  shards: ElkanShards,
  g: ElkanCentres,
  data: Float64Array,
  maxIterations: number,
): number {
  const { k, d, centers, drift } = g;
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  const old = new Float64Array(k * d);
  drift.fill(0);
  g.slack = 0;
  centreGaps(g);
  shards.assignFirst(g, sizes, sums);
  let iterations = 0;
  for (;;) {
    if (iterations > 0) {
      centreGaps(g);
      if (shards.step(g, sizes, sums) === 0) break;
    }
    if (iterations === maxIterations) break;
    old.set(centers);
    let reseeded = false;
    for (let c = 0; c < k; c++) {
      const size = sizes[c] as number;
      if (size > 0)
        for (let j = 0; j < d; j++) centers[c * d + j] = (sums[c * d + j] as number) / size;
    }
    for (let c = 0; c < k; c++) {
      if ((sizes[c] as number) > 0) continue;
      // An empty cluster takes the point farthest from its own centre (as in `kmeans`' Lloyd).
      const [far] = shards.farthest(centers, d);
      centers.set(data.subarray(far * d, far * d + d), c * d);
      reseeded = true;
    }
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
    let widest = 0;
    for (let c = 0; c < k; c++) {
      const v = g.nearest[c] as number;
      if (Number.isFinite(v) && v > widest) widest = v;
    }
    // Rounding of the stored sums is at most a few ulps of the largest value involved.
    g.slack = 1e-12 * (1 + total + 4 * widest);
    shards.loosen();
    if (reseeded) shards.forgetLowerBounds();
    iterations++;
  }
  return iterations;
}

/** Fresh shared parameters for k centres in d dimensions, starting from `centers`. */
export function elkanCentres(centers: Float64Array, k: number, d: number): ElkanCentres {
  return {
    k,
    d,
    centers,
    halfCc: new Float64Array(k * k),
    nearest: new Float64Array(k),
    drift: new Float64Array(k),
    slack: 0,
  };
}
