import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  createRng,
  kmeansPlusPlus,
  runElkan,
  wasmAvailable,
  type ElkanCentres,
  type ElkanShards,
  type KMeansOptions,
  type KMeansResult,
  type Points,
} from '@strata/core';
import {
  ASSIGN_FIRST,
  CMD,
  CONTROL_WORDS,
  DONE,
  EXIT,
  FARTHEST,
  FORGET_LOWER,
  INERTIA,
  LOOSEN,
  RESULT,
  SEQ,
  STEP,
  layout,
  type WorkerSetup,
} from './protocol.js';

/** Options for `kmeansParallel`: those of `kmeans`, and how many threads. */
export interface ParallelKMeansOptions extends Omit<KMeansOptions, 'algorithm'> {
  /** Worker threads, one shard of points each. @default the machine's available parallelism */
  readonly threads?: number;
}

const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));

/**
 * `kmeans` from `@strata/core` (Elkan's bounds, the same assignments as Lloyd) with the points
 * split across worker threads over shared memory. Synchronous: the calling thread waits for the
 * workers with `Atomics.wait` between passes. Results equal `kmeans(points, options)`'s up to
 * the order in which floating-point sums are added.
 * @example kmeansParallel(standardize(columns), { k: 8, seed: 7, threads: 2 })
 */
export function kmeansParallel(points: Points, options: ParallelKMeansOptions): KMeansResult {
  const { n, d } = points;
  const { k } = options;
  const threads = Math.max(
    1,
    Math.min(options.threads ?? availableParallelism(), Math.ceil(n / 1024)),
  );
  const init = options.init
    ? Float64Array.from(options.init)
    : kmeansPlusPlus(points, k, createRng(options.seed ?? 1));
  if (init.length !== k * d) throw new RangeError(`init must hold k × d = ${k * d} numbers`);

  // Points already in shared memory (e.g. `standardize(columns, (b) => new SharedArrayBuffer(b))`)
  // are used where they are; others are copied once.
  const given = points.data;
  const inPlace = given.buffer instanceof SharedArrayBuffer && given.byteOffset === 0;
  const dataBuffer = inPlace ? (given.buffer as SharedArrayBuffer) : shared(n * d * 8);
  const data = inPlace ? given : new Float64Array(dataBuffer);
  if (!inPlace) data.set(given.subarray(0, n * d));
  const at = layout(k, d);
  const paramsBuffer = shared(at.length * 8);
  const params = new Float64Array(paramsBuffer);
  params.set(init, at.centers);
  const g: ElkanCentres = {
    k,
    d,
    centers: params.subarray(at.centers, at.centers + k * d),
    halfCc: params.subarray(at.halfCc, at.halfCc + k * k),
    nearest: params.subarray(at.nearest, at.nearest + k),
    drift: params.subarray(at.drift, at.drift + k),
    slack: 0,
  };

  // Beside this module once built; from the sources (tests), the built one. The caller's thread
  // blocks between passes and cannot hear a worker fail to load, so check first.
  const wasm = wasmAvailable();
  const script = [
    new URL('./kmeans-worker.js', import.meta.url),
    new URL('../dist/kmeans-worker.js', import.meta.url),
  ].find((url) => existsSync(url));
  if (!script) throw new Error('k-means worker script missing: build @strata/parallel');
  const workers = Array.from({ length: threads }, (_, t) => {
    const start = Math.floor((t * n) / threads);
    const end = Math.floor(((t + 1) * n) / threads);
    const count = end - start;
    const setup: WorkerSetup = {
      data: dataBuffer,
      n,
      d,
      k,
      start,
      end,
      control: shared(CONTROL_WORDS * 4),
      params: paramsBuffer,
      sizes: shared(k * 4),
      sums: shared(k * d * 8),
      far: shared(16),
      labels: shared(count * 4),
      upper: shared(wasm ? 0 : count * 8),
      lower: shared(wasm ? 0 : count * k * 8),
      tight: shared(wasm ? 0 : count),
      wasm,
    };
    const worker = pooled(t, script);
    worker.postMessage(setup);
    return {
      worker,
      start,
      control: new Int32Array(setup.control),
      sizes: new Int32Array(setup.sizes),
      sums: new Float64Array(setup.sums),
      far: new Float64Array(setup.far),
      labels: new Int32Array(setup.labels),
    };
  });

  let seq = 0;
  /** Runs a command on every worker and waits for all of them. */
  const command = (cmd: number) => {
    params[at.slack] = g.slack;
    seq++;
    for (const w of workers) {
      Atomics.store(w.control, CMD, cmd);
      Atomics.store(w.control, SEQ, seq);
      Atomics.notify(w.control, SEQ);
    }
    for (const w of workers) {
      for (;;) {
        const done = Atomics.load(w.control, DONE);
        if (done === seq) break;
        if (Atomics.wait(w.control, DONE, done, 60_000) === 'timed-out')
          throw new Error('a k-means worker stopped answering');
      }
    }
  };
  const gather = (sizes: Int32Array, sums: Float64Array) => {
    let moved = 0;
    for (const w of workers) {
      for (let c = 0; c < k; c++) sizes[c] = (sizes[c] as number) + (w.sizes[c] as number);
      for (let j = 0; j < k * d; j++) sums[j] = (sums[j] as number) + (w.sums[j] as number);
      moved += Atomics.load(w.control, RESULT);
    }
    return moved;
  };
  const shards: ElkanShards = {
    assignFirst: (_g, sizes, sums) => {
      command(ASSIGN_FIRST);
      gather(sizes, sums);
    },
    step: (_g, sizes, sums) => {
      command(STEP);
      return gather(sizes, sums);
    },
    loosen: () => command(LOOSEN),
    forgetLowerBounds: () => command(FORGET_LOWER),
    farthest: () => {
      command(FARTHEST);
      return workers
        .map((w) => [w.far[0] as number, w.far[1] as number] as [number, number])
        .reduce((best, x) => (x[1] > best[1] ? x : best), [0, -1] as [number, number]);
    },
  };

  try {
    const iterations = runElkan(shards, g, data, options.maxIterations ?? 100);
    command(INERTIA); // also has the workers publish their labels
    const labels = new Int32Array(n);
    for (const w of workers) labels.set(w.labels, w.start);
    const centers = Float64Array.from(g.centers);
    const inertia = workers.reduce((a, w) => a + (w.far[0] as number), 0);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++)
      sizes[labels[i] as number] = (sizes[labels[i] as number] as number) + 1;
    return { k, centers, labels, sizes, inertia, iterations };
  } finally {
    // End the job; the workers go back to waiting for the next one.
    command(EXIT);
  }
}

/**
 * Worker threads are kept between calls (started on first use, unref'd so they never hold the
 * process open): a call then costs no thread start-up or module loading.
 */
const pool: Worker[] = [];

function pooled(t: number, script: URL): Worker {
  let worker = pool[t];
  if (!worker) {
    const fresh = new Worker(script);
    fresh.unref();
    const forget = () => {
      if (pool[t] === fresh) delete pool[t];
    };
    fresh.on('error', forget);
    fresh.on('exit', forget);
    pool[t] = fresh;
    worker = fresh;
  }
  return worker;
}
