import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './random.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniform floats in [0, 1) with the right mean', () => {
    const rng = createRng(1);
    let sum = 0;
    for (let k = 0; k < 100_000; k++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = createRng(2);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('derives distinct streams from one seed', () => {
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(42, 1));
    expect(deriveSeed(42, 1)).toBe(deriveSeed(42, 1));
  });
});
