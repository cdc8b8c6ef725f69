import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differenceInDifferences, type StratumChanges } from './did.js';
import { normalQuantile } from './distributions.js';
import { summarize, welchTTest } from './stats.js';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );

const stratum = (key: string, treated: number[], comparison: number[]): StratumChanges => ({
  key,
  treated: summarize(treated),
  comparison: summarize(comparison),
});

// The fixture of the `did` section of scripts/stats-reference.py; the last cell has one
// comparison customer and is dropped
const thinCell = stratum('mass:new', [4.0, 6.0], [1.0]);
const fixture = [
  stratum('mass:growth', [12.5, 8.0, 15.2, 9.8, 11.1], [7.4, 6.1, 9.9, 5.0, 8.3, 7.7]),
  stratum('affluent:mature', [40.0, 22.5, 31.8, 27.3, 35.9, 29.4, 44.1], [25.2, 30.7, 18.9, 27.6]),
  stratum('hnw:declining', [-5.0, 3.5, -12.2], [-9.1, -14.0, -3.3, -7.8, -11.6]),
  thinCell,
];

describe('differenceInDifferences (against NumPy/SciPy)', () => {
  // Reference values from NumPy and SciPy 1.10.1 (Debian python3-scipy), produced by
  //   /usr/bin/python3 packages/core/scripts/stats-reference.py   (key "did")
  it('the ATT-weighted estimate, its standard error, z, p and intervals', () => {
    const r = differenceInDifferences(fixture);
    close(r.estimate, 5.678666666666666);
    close(r.se, 2.0707458666974192);
    close(r.z, 2.74232910855615);
    close(r.p, 0.006100518437248005);
    close(r.ci[0], 1.6200793468045447);
    close(r.ci[1], 9.737253986528787);
    expect(r.confidence).toBe(0.95);
    expect([r.treated, r.comparison, r.unmatched]).toEqual([15, 15, 2]);
    const expected: [string, number, number][] = [
      ['mass:growth', 0.3333333333333333, 3.919999999999999],
      ['affluent:mature', 0.4666666666666667, 7.399999999999999],
      ['hnw:declining', 0.2, 4.593333333333334],
    ];
    expect(r.strata.map((s) => s.key)).toEqual(expected.map(([key]) => key));
    expected.forEach(([, weight, difference], i) => {
      close(r.strata[i]?.weight ?? Number.NaN, weight);
      close(r.strata[i]?.difference ?? Number.NaN, difference);
    });
    const r90 = differenceInDifferences(fixture, 0.9);
    close(r90.ci[0], 2.2725928173346457);
    close(r90.ci[1], 9.084740515998686);
  });
});

describe('differenceInDifferences', () => {
  it('with one stratum is the Welch difference with a normal interval', () => {
    const t = { n: 120, mean: 5_300, variance: 2_100 ** 2 };
    const c = { n: 40, mean: 4_800, variance: 2_600 ** 2 };
    const r = differenceInDifferences([{ key: 'only', treated: t, comparison: c }]);
    const welch = welchTTest(t, c);
    const se = Math.sqrt(t.variance / t.n + c.variance / c.n);
    close(r.estimate, welch.difference, 1e-12);
    close(r.z, welch.t, 1e-12);
    close(r.se, se, 1e-12);
    close(r.ci[0], welch.difference - normalQuantile(0.975) * se, 1e-12);
    close(r.ci[1], welch.difference + normalQuantile(0.975) * se, 1e-12);
    expect(r.strata).toEqual([{ key: 'only', weight: 1, difference: 500 }]);
  });

  it('with no variance: the interval collapses, p is 0 for an effect and 1 for none', () => {
    const flat = (mean: number) => ({ n: 3, mean, variance: 0 });
    const up = differenceInDifferences([{ key: 'a', treated: flat(5), comparison: flat(2) }]);
    expect([up.se, up.z, up.p, ...up.ci]).toEqual([0, Infinity, 0, 3, 3]);
    const down = differenceInDifferences([{ key: 'a', treated: flat(1), comparison: flat(2) }]);
    expect([down.z, down.p]).toEqual([-Infinity, 0]);
    const none = differenceInDifferences([{ key: 'a', treated: flat(2), comparison: flat(2) }]);
    expect([none.estimate, none.se, none.z, none.p, ...none.ci]).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('refuses no usable stratum and a confidence outside (0, 1)', () => {
    expect(() => differenceInDifferences([])).toThrow(RangeError);
    expect(() => differenceInDifferences([thinCell])).toThrow(/no stratum has at least two/);
    expect(() => differenceInDifferences(fixture, 1)).toThrow(/confidence level is in \(0, 1\)/);
    expect(() => differenceInDifferences(fixture, 0)).toThrow(RangeError);
    expect(() => differenceInDifferences(fixture, Number.NaN)).toThrow(RangeError);
  });
});

describe('differenceInDifferences (properties)', () => {
  const values = (min: number) =>
    fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: min, maxLength: 12 });
  const cells = fc.array(fc.tuple(values(2), values(2)), { minLength: 1, maxLength: 6 });
  const build = (raw: [number[], number[]][], shift = 0) =>
    raw.map(([t, c], i) =>
      stratum(
        `cell${i}`,
        t,
        c.map((x) => x + shift),
      ),
    );

  it('adding a constant to every comparison change shifts the estimate by minus it', () => {
    fc.assert(
      fc.property(cells, fc.double({ min: -1e4, max: 1e4, noNaN: true }), (raw, shift) => {
        const base = differenceInDifferences(build(raw));
        const shifted = differenceInDifferences(build(raw, shift));
        expect(Math.abs(shifted.estimate - (base.estimate - shift))).toBeLessThanOrEqual(1e-7);
        close(shifted.se ** 2, base.se ** 2, 1e-6); // rounding in the shifted variances
      }),
    );
  });

  it('the weights sum to 1 and follow the treated counts', () => {
    fc.assert(
      fc.property(cells, (raw) => {
        const r = differenceInDifferences(build(raw));
        close(
          r.strata.reduce((sum, s) => sum + s.weight, 0),
          1,
          1e-12,
        );
        raw.forEach(([t], i) =>
          close(r.strata[i]?.weight ?? Number.NaN, t.length / r.treated, 1e-12),
        );
      }),
    );
  });

  it('a stratum with fewer than two values on a side is dropped and its treated are unmatched', () => {
    const thin = fc.oneof(
      fc.tuple(
        values(0).map((t) => t.slice(0, 1)),
        values(0),
      ),
      fc.tuple(
        values(0),
        values(0).map((c) => c.slice(0, 1)),
      ),
    );
    fc.assert(
      fc.property(cells, thin, fc.nat(), (raw, [t, c], at) => {
        const strata = build(raw);
        const base = differenceInDifferences(strata);
        const withThin = [...strata];
        withThin.splice(at % (strata.length + 1), 0, stratum('thin', t, c));
        const r = differenceInDifferences(withThin);
        expect(r.unmatched).toBe(t.length);
        expect(r.strata.map((s) => s.key)).not.toContain('thin');
        expect([r.estimate, r.se, r.treated, r.comparison]).toEqual([
          base.estimate,
          base.se,
          base.treated,
          base.comparison,
        ]);
      }),
    );
  });
});
