import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETAIL_LADDER } from './aum-ladder.js';
import { DEFAULT_CORPORATE_LADDER, NO_TIER, assignLadder, ladderWithHysteresis } from './ladder.js';
import { paretoClasses, quantileCuts, quantileTiers, rfmScores } from './quantile.js';

const retail = DEFAULT_RETAIL_LADDER;

describe('assignLadder', () => {
  it('puts each default retail boundary in the upper rung and a fen below it in the lower', () => {
    // 大众 | 50k 金卡 | 500k 财富 | 2M 钻石 | 6M 私行
    const values = [
      49_999.99,
      50_000,
      499_999.99,
      500_000,
      1_999_999.99,
      2_000_000,
      5_999_999.99,
      6_000_000,
      0,
      Number.NaN,
    ];
    expect([...assignLadder(values, retail)]).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 0, NO_TIER]);
  });

  it('sizes corporate contribution on average daily deposits', () => {
    expect([
      ...assignLadder([999_999, 1e6, 9_999_999, 1e7, 4.9e7, 5e7], DEFAULT_CORPORATE_LADDER),
    ]).toEqual([0, 1, 1, 2, 2, 3]);
  });
});

describe('ladderWithHysteresis', () => {
  // One customer (size 1): the history is the list of monthly values.
  const run = (values: number[], downgradeMonths?: number) => [
    ...ladderWithHysteresis(
      Float64Array.from(values),
      1,
      retail,
      downgradeMonths === undefined ? {} : { downgradeMonths },
    ),
  ];

  it('upgrades in the month the value crosses the line', () => {
    expect(run([40e3, 49e3, 51e3])).toEqual([0, 0, 1]);
  });

  it('downgrades only after three months below, not two', () => {
    // Gold (≥ 50k), then 2 months below, back above, then 3 months below.
    expect(run([60e3, 45e3, 45e3, 55e3, 45e3, 45e3, 45e3])).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  it('drops to the highest rung of the months below the line', () => {
    // Diamond (2M+), then 600k, 1.5M, 400k: three months below; the best of them is 财富 (2).
    expect(run([2.5e6, 6e5, 1.5e6, 4e5])).toEqual([3, 3, 3, 2]);
  });

  it('takes the downgrade delay from the options and skips missing months', () => {
    expect(run([60e3, 45e3], 1)).toEqual([1, 0]);
    expect(run([Number.NaN, 60e3, Number.NaN, 45e3, 45e3, 45e3])).toEqual([NO_TIER, 1, 1, 1, 1, 0]);
    expect(() => run([1], 0)).toThrow(/downgradeMonths/);
  });
});

describe('quantileTiers', () => {
  it('splits ten values into quintiles of two, lowest first', () => {
    expect(quantileCuts([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5)).toEqual([3, 5, 7, 9]);
    expect([...quantileTiers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)]).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
  });

  it('keeps equal values in one tier and leaves missing values out', () => {
    expect([...quantileTiers([5, 5, 5, 5, 1, Number.NaN], 2)]).toEqual([1, 1, 1, 1, 0, NO_TIER]);
  });
});

describe('rfmScores', () => {
  it('scores recent, frequent, valuable customers 5 and the opposite 1', () => {
    // Customer 0: 1 day since activity, 50 transactions, 1M; customer 4: 400 days, 0, 100.
    const { r, f, m } = rfmScores(
      [1, 10, 30, 90, 400],
      [50, 20, 10, 5, 0],
      [1e6, 1e5, 1e4, 1e3, 100],
    );
    expect([...r]).toEqual([5, 4, 3, 2, 1]);
    expect([...f]).toEqual([5, 4, 3, 2, 1]);
    expect([...m]).toEqual([5, 4, 3, 2, 1]);
  });
});

describe('paretoClasses', () => {
  it('puts the customers making the first 80% in A, up to 95% in B, the rest in C', () => {
    // Total 100: 50 and 30 start at 0 and 50 (A); 15 starts at 80 (B); 3 at 95 and 2 at 98 (C).
    const { classes, summary } = paretoClasses([15, 50, 3, 30, 2, 0]);
    expect([...classes]).toEqual([1, 0, 2, 0, 2, NO_TIER]);
    expect(summary.map((s) => s.customers)).toEqual([2, 1, 2]);
    expect(summary[0]?.valueShare).toBeCloseTo(0.8, 12);
  });

  it('equals a comparator sort of the customers (largest first, ties by position), for any values', () => {
    // The definition, written the plain way: the implementation sorts values, not indexes.
    const reference = (values: readonly number[], a: number, b: number) => {
      const order = values.flatMap((v, i) => (v > 0 ? [i] : []));
      const total = order.reduce((t, i) => t + (values[i] as number), 0);
      order.sort((x, y) => (values[y] as number) - (values[x] as number) || x - y);
      const classes = new Array<number>(values.length).fill(NO_TIER);
      const sums = [0, 0, 0];
      let before = 0;
      for (const i of order) {
        const cls = before < a * total ? 0 : before < b * total ? 1 : 2;
        classes[i] = cls;
        sums[cls] = (sums[cls] as number) + (values[i] as number);
        before += values[i] as number;
      }
      return { classes, valueShares: sums.map((x) => (total === 0 ? 0 : x / total)) };
    };
    fc.assert(
      fc.property(
        // Few distinct values, so ties straddle the class lines often.
        fc.array(
          fc.oneof(
            fc.constantFrom(0, -1, 1, 2, 5, 40, 96, Number.NaN),
            fc.double({ min: -10, max: 1e6, noNaN: false }),
          ),
          { maxLength: 200 },
        ),
        fc.constantFrom([0.8, 0.95], [0.5, 0.6], [0.3, 1], [0.96, 0.97]),
        (values, [a, b]) => {
          const got = paretoClasses(values, a, b);
          const want = reference(values, a as number, b as number);
          expect([...got.classes]).toEqual(want.classes);
          expect(got.summary.map((s) => s.valueShare)).toEqual(want.valueShares);
        },
      ),
      { numRuns: 2000, seed: 20261123 },
    );
  });

  it('keeps the customer who crosses the A line in A', () => {
    // 70 starts at 0 and ends at 70 (< 80), 20 starts at 70 (< 80): both A; 10 starts at 90: B.
    expect([...paretoClasses([70, 20, 10]).classes]).toEqual([0, 0, 1]);
  });
});

describe('quantileCuts', () => {
  it('equals the cut points read off a full sort, for any values (ties, NaN, any size)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -3, max: 3 })), {
          maxLength: 300,
        }),
        fc.integer({ min: 2, max: 10 }),
        (values, q) => {
          const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
          const want =
            sorted.length === 0
              ? []
              : Array.from(
                  { length: q - 1 },
                  (_, k) => (sorted[Math.floor(((k + 1) * sorted.length) / q)] as number) + 0,
                );
          expect(quantileCuts(Float64Array.from(values), q)).toEqual(want);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
