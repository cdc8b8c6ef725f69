import { createRng, kmeans, standardize } from '@strata/core';
import { describe, expect, it } from 'vitest';
// The workers run the built worker script: the test script builds first.
import { kmeansParallel } from './kmeans.js';

function points(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const columns = Array.from({ length: d }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => rng.normal() + ((i * 3 + j) % 6) * 0.7),
  );
  return standardize(columns);
}

describe('kmeansParallel', () => {
  it('makes the same clustering as kmeans in one thread, whatever the number of threads', () => {
    const p = points(20_000, 6, 3);
    for (const k of [3, 8]) {
      const one = kmeans(p, { k, seed: 5, maxIterations: 40 });
      for (const threads of [2, 3]) {
        const many = kmeansParallel(p, { k, seed: 5, maxIterations: 40, threads });
        expect(many.iterations).toBe(one.iterations);
        expect([...many.labels]).toEqual([...one.labels]);
        expect([...many.sizes]).toEqual([...one.sizes]);
        expect(Math.abs(many.inertia / one.inertia - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('refuses initial centres of the wrong shape', () => {
    expect(() => kmeansParallel(points(2_000, 3, 1), { k: 4, init: new Float64Array(5) })).toThrow(
      /init must hold k × d = 12 numbers/,
    );
  });
});
