import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random.js';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';
import { recommend } from './recommend.js';
import {
  compareProportions,
  minimumDetectableEffect,
  requiredAudience,
  summarize,
  welchTTest,
} from './stats.js';

// Reference values from SciPy 1.10.1 (Debian python3-scipy), produced by
//   /usr/bin/python3 packages/core/scripts/stats-reference.py
const close = (actual: number, expected: number, tolerance = 1e-10) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );

describe('distributions (against SciPy)', () => {
  it('the normal distribution function and its inverse', () => {
    const cdf: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3.2, 0.0006871379379158471],
      [-1.96, 0.024997895148220435],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [0.7, 0.758036347776927],
      [1.6448536269514722, 0.95],
      [2.5, 0.9937903346742238],
      [6, 0.9999999990134123],
    ];
    for (const [x, p] of cdf) close(normalCdf(x), p, x < -5 ? 1e-24 : 1e-13);
    const quantile: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, x] of quantile) close(normalQuantile(p), x, 1e-12);
  });

  it('Student t, with fractional degrees of freedom', () => {
    const cdf: [number, number, number][] = [
      [-2.1, 3, 0.06328260127484227],
      [0.4, 7.5, 0.6498471001853228],
      [1.96, 30, 0.9703288435519748],
      [-4, 120.3, 5.490225675075827e-5],
      [2.7, 1.5, 0.9231862836129621],
    ];
    for (const [t, df, p] of cdf) close(studentTCdf(t, df), p, 1e-12);
    const quantile: [number, number, number][] = [
      [0.975, 4, 2.7764451051977987],
      [0.975, 17.3, 2.107032003753353],
      [0.995, 2.2, 8.534715279807667],
      [0.025, 250, -1.9694983934204007],
    ];
    for (const [p, df, t] of quantile) close(studentTQuantile(p, df), t, 1e-10);
  });
});

describe('review statistics (against SciPy)', () => {
  it('two proportions: z, p and the intervals of the absolute and relative uplift', () => {
    const r = compareProportions({ n: 9_000, converted: 540 }, { n: 1_000, converted: 45 });
    close(r.z, 1.9174516361547491);
    close(r.p, 0.055180579624935416);
    close(r.uplift, 0.015);
    close(r.upliftCi[0], 0.001246461009531163);
    close(r.upliftCi[1], 0.028753538990468834);
    close(r.relativeUplift, 0.6 / 0.45 - 1);
    close(r.relativeUpliftCi[0], -0.009278447304595483);
    close(r.relativeUpliftCi[1], 0.7944272767066285);
  });

  it('Welch t-test: t, degrees of freedom, p and the interval of the difference', () => {
    const r = welchTTest(
      { n: 120, mean: 5_300, variance: 2_100 ** 2 },
      { n: 40, mean: 4_800, variance: 2_600 ** 2 },
    );
    close(r.t, 1.1023006979384424);
    close(r.df, 56.92356202984288);
    close(r.p, 0.27496975677431723);
    // SciPy 1.10's t.ppf at fractional df is itself off here: its quantile's probability misses
    // 0.975 by 6.9e-11, ours by 3.9e-16 (both checked with mpmath at 40 digits), so the
    // interval agrees to 2e-9 relative, not 1e-10
    close(r.differenceCi[0], -408.3382326578941, 2e-9);
    close(r.differenceCi[1], 1408.338232657894, 2e-9);
  });

  it('plans the audience for an uplift, and the uplift an audience can see', () => {
    const options = { baseline: 0.045, controlShare: 0.1 };
    expect(requiredAudience(0.01, options)).toBe(42_612);
    const mde = minimumDetectableEffect(42_612, options);
    close(mde, 0.01, 1e-4);
    expect(minimumDetectableEffect(10_000, options)).toBeGreaterThan(0.01);
    expect(() => requiredAudience(0.01, { baseline: 0.045, controlShare: 0 })).toThrow(
      /control share/,
    );
  });

  it('refuses impossible counts with the field', () => {
    expect(() => compareProportions({ n: 10, converted: 11 }, { n: 10, converted: 1 })).toThrow(
      /treatment: converted must be a whole number from 0 to n/,
    );
    expect(() =>
      welchTTest({ n: 1, mean: 1, variance: 0 }, { n: 5, mean: 1, variance: 1 }),
    ).toThrow(/at least two values/);
  });
});

describe('coverage (simulation)', () => {
  it('the 95 % interval of the uplift holds the true uplift about 95 % of the time', () => {
    const rng = createRng(20261122);
    const [p1, p0, n1, n0] = [0.07, 0.05, 4_000, 1_000];
    let held = 0;
    const runs = 2_000;
    for (let r = 0; r < runs; r++) {
      let x1 = 0;
      let x0 = 0;
      for (let i = 0; i < n1; i++) if (rng.next() < p1) x1++;
      for (let i = 0; i < n0; i++) if (rng.next() < p0) x0++;
      const ci = compareProportions({ n: n1, converted: x1 }, { n: n0, converted: x0 }).upliftCi;
      if (ci[0] <= p1 - p0 && p1 - p0 <= ci[1]) held++;
    }
    // 95 % ± 4 standard deviations of a binomial share over 2,000 runs
    expect(Math.abs(held / runs - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / runs));
  });

  it('summarize gives the mean and sample variance of any values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }),
        (xs) => {
          const s = summarize(xs);
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
          close(s.mean, mean, 1e-9);
          close(s.variance, variance, 1e-7);
        },
      ),
    );
  });
});

describe('recommendations', () => {
  const counts = { treatment: 9_000, control: 1_000 };
  it('scale up a significant uplift that meets its KPI, keep one below it, retire a harmful one', () => {
    const good = compareProportions({ n: 9_000, converted: 900 }, { n: 1_000, converted: 60 });
    expect(recommend(good, counts, { metric: 'conversion_rate', target: 0.08 }).action).toBe(
      'scale_up',
    );
    expect(recommend(good, counts, { metric: 'conversion_rate', target: 0.12 })).toMatchObject({
      action: 'keep',
      reason: expect.stringMatching(/conversion 10\.0 % is below the target 12\.0 %/),
    });
    const bad = compareProportions({ n: 9_000, converted: 300 }, { n: 1_000, converted: 80 });
    expect(recommend(bad, counts).action).toBe('retire');
    // the reason in Chinese too, with the same numbers
    expect(recommend(bad, counts).reasons['zh-CN']).toMatch(
      /^触达使转化率下降 \d+\.\d{2} 个百分点（95% 置信区间/,
    );
    expect(recommend(bad, counts).reasons.en).toBe(recommend(bad, counts).reason);
  });

  it('revise one with no significant effect, and keep one too young to judge', () => {
    const flat = compareProportions({ n: 9_000, converted: 450 }, { n: 1_000, converted: 50 });
    expect(recommend(flat, counts)).toMatchObject({
      action: 'revise',
      reason: expect.stringMatching(/no significant effect/),
    });
    expect(recommend(flat, { treatment: 500, control: 40 }).action).toBe('keep');
  });
});
