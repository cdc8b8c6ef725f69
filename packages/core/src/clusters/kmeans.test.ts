import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random.js';
import { kmeans, kmeansPlusPlus, standardize } from './kmeans.js';
import { clusterProfiles } from './profile.js';
import { elbow, silhouette } from './quality.js';

// Three planted clusters of 200 points each in two dimensions, centred at (0, 0), (10, 0) and
// (0, 10) with standard deviation 1: far apart, so a correct k-means recovers them exactly.
function planted(seed = 3) {
  const rng = createRng(seed);
  const x: number[] = [];
  const y: number[] = [];
  const truth: number[] = [];
  [
    [0, 0],
    [10, 0],
    [0, 10],
  ].forEach(([cx, cy], c) => {
    for (let k = 0; k < 200; k++) {
      x.push((cx as number) + rng.normal());
      y.push((cy as number) + rng.normal());
      truth.push(c);
    }
  });
  return { points: standardize([x, y]), truth };
}

describe('standardize', () => {
  it('turns columns into z-scores, missing values into the mean', () => {
    const s = standardize([[1, 2, 3, Number.NaN]]);
    expect([...s.data].map((v) => Number(v.toFixed(6)))).toEqual([-1.224745, 0, 1.224745, 0]);
    expect(s.means[0]).toBe(2);
  });
});

describe('kmeans', () => {
  it('ends at scikit-learn’s inertia from the same initial centres', () => {
    // Reference: `/usr/bin/python3 packages/core/scripts/sklearn-reference.py` (Debian
    // python3-sklearn 1.2.1, Lloyd, tol=0) printed
    //   sklearn 1.2.1: inertia 512.267628673824 after 15 iterations
    // The data and initial rows below are the script's, bit for bit.
    const N = 3000;
    const D = 5;
    const K = 5;
    const data = new Float64Array(N * D);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < D; j++)
        data[i * D + j] = ((i * 7919 + j * 104729) % 10007) / 10007 + (j === (i % K) % D ? 0.3 : 0);
    const init = new Float64Array(K * D);
    [0, 5, 10, 15, 20].forEach((row, c) => init.set(data.subarray(row * D, row * D + D), c * D));
    for (const algorithm of ['elkan', 'lloyd'] as const) {
      const result = kmeans({ data, n: N, d: D }, { k: K, init, maxIterations: 300, algorithm });
      expect(Math.abs(result.inertia / 512.267628673824 - 1)).toBeLessThan(1e-9);
      expect(result.iterations).toBeLessThanOrEqual(15);
    }
  });

  it('makes exactly the assignments of Lloyd’s algorithm, with bounds or without', () => {
    const rng = createRng(17);
    for (const [n, d, k] of [
      [2_000, 3, 4],
      [3_000, 8, 9],
      [1_500, 16, 12],
    ] as const) {
      const columns = Array.from({ length: d }, (_, j) =>
        Float64Array.from({ length: n }, (_, i) => rng.normal() + ((i * 7 + j) % 5) * 0.8),
      );
      const points = standardize(columns);
      for (const maxIterations of [1, 3, 100]) {
        const h = kmeans(points, { k, seed: 4, maxIterations, algorithm: 'elkan' });
        const l = kmeans(points, { k, seed: 4, maxIterations, algorithm: 'lloyd' });
        expect(h.iterations).toBe(l.iterations);
        expect([...h.labels]).toEqual([...l.labels]);
        expect(Math.abs(h.inertia / l.inertia - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('recovers planted clusters exactly', () => {
    const { points, truth } = planted();
    const result = kmeans(points, { k: 3, seed: 1 });
    // Each planted cluster maps to exactly one found cluster, and vice versa.
    const pairs = new Set(truth.map((t, i) => `${t}:${result.labels[i]}`));
    expect(pairs.size).toBe(3);
    expect([...result.sizes].sort()).toEqual([200, 200, 200]);
  });

  it('gives the same clustering for the same seed', () => {
    const { points } = planted();
    expect(kmeans(points, { k: 4, seed: 9 }).labels).toEqual(
      kmeans(points, { k: 4, seed: 9 }).labels,
    );
  });

  it('starts from given centres when asked and never raises inertia while iterating', () => {
    const { points } = planted();
    const init = kmeansPlusPlus(points, 3, createRng(5));
    const one = kmeans(points, { k: 3, init, maxIterations: 1 });
    const all = kmeans(points, { k: 3, init });
    expect(all.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it('refuses a k larger than the data', () => {
    expect(() => kmeans(standardize([[1, 2]]), { k: 3 })).toThrow(/k must be between/);
  });
});

describe('elbow and silhouette', () => {
  it('show k = 3 for three planted clusters', () => {
    const { points } = planted();
    const curve = elbow(points, [2, 3, 4, 5]);
    const drops = curve.slice(1).map((p, j) => (curve[j]?.inertia ?? 0) - p.inertia);
    // The step from 2 to 3 gains far more than any later step.
    expect(drops[0]).toBeGreaterThan(5 * Math.max(...drops.slice(1)));
    const scores = [2, 3, 4, 5].map((k) =>
      silhouette(points, kmeans(points, { k, seed: 1 }).labels, 400),
    );
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
    expect(scores[1]).toBeGreaterThan(0.7);
  });
});

describe('clusterProfiles', () => {
  it('names each cluster by the features that set it apart', () => {
    const { points } = planted();
    const result = kmeans(points, { k: 3, seed: 1 });
    const profiles = clusterProfiles(points, result, [
      { key: 'aum', label: { 'zh-CN': '资产', en: 'AUM' } },
      { key: 'txns', label: { 'zh-CN': '交易', en: 'transactions' } },
    ]);
    // The name lists the strongest feature first; compare its parts as a set.
    const names = profiles.map((p) => p.suggestedName['zh-CN'].split('·').sort().join('·')).sort();
    // (10, 0): high x, low y; (0, 10): high y, low x; (0, 0): low both.
    expect(names).toEqual(
      ['低交易·低资产', '低交易·高资产', '低资产·高交易']
        .map((n) => n.split('·').sort().join('·'))
        .sort(),
    );
    expect(profiles.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 12);
  });
});

describe('runElkan over several shards', () => {
  it('clusters exactly as one shard does (what worker threads rely on)', async () => {
    const { ElkanShard, elkanCentres, elkanShardState, localShards, runElkan } =
      await import('./elkan.js');
    const rng = createRng(23);
    const points = standardize(
      Array.from({ length: 5 }, (_, j) =>
        Float64Array.from({ length: 3_001 }, (_, i) => rng.normal() + ((i + j) % 4)),
      ),
    );
    const k = 6;
    const init = kmeansPlusPlus(points, k, createRng(2));
    const one = kmeans(points, { k, init, maxIterations: 50 });
    const cuts = [0, 700, 1_901, 3_001];
    const shards = cuts
      .slice(1)
      .map(
        (end, s) =>
          new ElkanShard(
            points.data,
            cuts[s] as number,
            end,
            elkanShardState(end - (cuts[s] as number), k),
          ),
      );
    const g = elkanCentres(Float64Array.from(init), k, points.d);
    const iterations = runElkan(localShards(shards), g, points.data, 50);
    expect(iterations).toBe(one.iterations);
    expect(shards.flatMap((s) => [...s.state.labels])).toEqual([...one.labels]);
  });
});

describe('kmeans in WebAssembly', () => {
  it('runs here, and gives exactly the JavaScript version’s clustering', async () => {
    const { wasmAvailable } = await import('./elkan-wasm.js');
    expect(wasmAvailable()).toBe(true); // Node 20 has WebAssembly SIMD
    const rng = createRng(31);
    for (const d of [5, 16]) {
      const points = standardize(
        Array.from({ length: d }, (_, j) =>
          Float64Array.from({ length: 4_000 }, (_, i) => rng.normal() + ((i * 5 + j) % 7) * 0.6),
        ),
      );
      const wasm = kmeans(points, { k: 7, seed: 3, maxIterations: 60 });
      const js = kmeans(points, { k: 7, seed: 3, maxIterations: 60, algorithm: 'elkan-js' });
      expect(wasm.iterations).toBe(js.iterations);
      expect([...wasm.labels]).toEqual([...js.labels]);
      // Centre sums are added in another order (deltas per pass), so the last digits may differ.
      expect(Math.abs(wasm.inertia / js.inertia - 1)).toBeLessThan(1e-12);
    }
  });
});
