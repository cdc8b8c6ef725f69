import { describe, expect, it } from 'vitest';
import { funnelFromCounts, lifecycleFunnel, lifecycleFunnelByGroup } from './funnel.js';
import { migrationFromCounts, migrationMatrix, migrationMatrixByGroup } from './migration.js';
import { stageCode as c, stageOf } from './stages.js';
import { NOT_LINKED } from './frame.js';

// Eight customers in two periods (A, then B), with branches 1 and 2:
//   i  branch  A           B
//   0  1       onboarding  honeymoon
//   1  1       onboarding  honeymoon
//   2  1       growth      mature
//   3  2       mature      mature
//   4  2       mature      declining
//   5  2       declining   dormant
//   6  2       dormant     winback
//   7  1       prospect    onboarding
const A = Uint8Array.from([
  c('onboarding'),
  c('onboarding'),
  c('growth'),
  c('mature'),
  c('mature'),
  c('declining'),
  c('dormant'),
  c('prospect'),
]);
const B = Uint8Array.from([
  c('honeymoon'),
  c('honeymoon'),
  c('mature'),
  c('mature'),
  c('declining'),
  c('dormant'),
  c('winback'),
  c('onboarding'),
]);
const branch = Int32Array.from([1, 1, 1, 2, 2, 2, 2, 1]);
const aum = [10, 20, 300, 4000, 5000, 600, 70, 0];

describe('lifecycleFunnel', () => {
  it('counts customers per stage in stage order, every stage present', () => {
    // Period B: honeymoon 2, mature 2, declining 1, dormant 1, winback 1, onboarding 1; the rest 0.
    const rows = lifecycleFunnel(B, { aum });
    expect(rows.map((r) => [r.stage, r.count])).toEqual([
      ['prospect', 0],
      ['onboarding', 1],
      ['honeymoon', 2],
      ['growth', 0],
      ['mature', 2],
      ['declining', 1],
      ['dormant', 1],
      ['churned', 0],
      ['winback', 1],
    ]);
    expect(rows.find((r) => r.stage === 'honeymoon')?.share).toBe(2 / 8);
    // Mature in B: customers 2 and 3, AUM 300 + 4000.
    expect(rows.find((r) => r.stage === 'mature')?.aum).toBe(4300);
  });

  it('counts only the customers of the mask', () => {
    // Branch 1 in period B: customers 0, 1, 2, 7 → honeymoon 2, mature 1, onboarding 1.
    const mask = Uint8Array.from(branch, (b) => (b === 1 ? 1 : 0));
    const counts = Object.fromEntries(lifecycleFunnel(B, { mask }).map((r) => [r.stage, r.count]));
    expect(counts).toMatchObject({
      honeymoon: 2,
      mature: 1,
      onboarding: 1,
      declining: 0,
      winback: 0,
    });
  });
});

describe('lifecycleFunnelByGroup', () => {
  it('gives each branch its own funnel', () => {
    // Branch 2 in period B: customers 3-6 → mature, declining, dormant, winback, one each.
    const byBranch = lifecycleFunnelByGroup(B, branch);
    expect([...byBranch.keys()]).toEqual([1, 2]);
    const two = Object.fromEntries((byBranch.get(2) ?? []).map((r) => [r.stage, r.count]));
    expect(two).toMatchObject({ mature: 1, declining: 1, dormant: 1, winback: 1, honeymoon: 0 });
  });
});

describe('funnelFromCounts', () => {
  it('orders stages, fills gaps with zero and computes shares', () => {
    const rows = funnelFromCounts([
      { stage: 'mature', count: 3, aum: 30 },
      { stage: 'prospect', count: 1 },
    ]);
    expect(rows[0]).toEqual({ stage: 'prospect', count: 1, aum: 0, share: 0.25 });
    expect(rows.find((r) => r.stage === 'mature')).toEqual({
      stage: 'mature',
      count: 3,
      aum: 30,
      share: 0.75,
    });
    expect(rows).toHaveLength(9);
  });

  it('refuses a stage it does not know', () => {
    expect(() => funnelFromCounts([{ stage: 'asleep', count: 1 }])).toThrow(/asleep/);
  });
});

describe('migrationMatrix', () => {
  it('counts who moved from which stage to which', () => {
    // From the table: onboarding→honeymoon 2, growth→mature 1, mature→mature 1,
    // mature→declining 1, declining→dormant 1, dormant→winback 1, prospect→onboarding 1.
    const m = migrationMatrix(A, B);
    expect(m.counts[c('onboarding')]?.[c('honeymoon')]).toBe(2);
    expect(m.counts[c('mature')]?.[c('mature')]).toBe(1);
    expect(m.counts[c('mature')]?.[c('declining')]).toBe(1);
    expect(m.counts[c('dormant')]?.[c('winback')]).toBe(1);
    expect(m.counts[c('prospect')]?.[c('onboarding')]).toBe(1);
    expect(m.total).toBe(8);
    expect(m.stayed).toBe(1); // only customer 3 stayed (mature)
    expect(m.fromTotals[c('mature')]).toBe(2);
    expect(m.toTotals[c('mature')]).toBe(2);
    const cells = m.counts.flat().reduce((a, b) => a + b, 0);
    expect(cells).toBe(8);
  });

  it('agrees with the same migration given as counts', () => {
    const rows = Array.from(A, (a, i) => ({ from: stageOf(a), to: stageOf(B[i] ?? 0), count: 1 }));
    expect(migrationFromCounts(rows)).toEqual(migrationMatrix(A, B));
  });

  it('counts customers unknown in the first period as arrivals, not as a row', () => {
    // Customer 7 arrives in B as onboarding; the other seven migrate as in the table.
    const from = Uint8Array.from(A);
    from[7] = NOT_LINKED;
    const m = migrationMatrix(from, B);
    expect(m.total).toBe(7);
    expect(m.arrivals[c('onboarding')]).toBe(1);
    expect(m.counts[c('prospect')]?.[c('onboarding')]).toBe(0);
    expect(lifecycleFunnel(from).reduce((a, r) => a + r.count, 0)).toBe(7);
  });

  it('refuses arrays of different customers', () => {
    expect(() => migrationMatrix(A, B.slice(1))).toThrow(/same customers/);
  });
});

describe('migrationMatrixByGroup', () => {
  it('splits the migration by branch and the parts add up to the whole', () => {
    // Branch 1: customers 0, 1, 2, 7 → onboarding→honeymoon 2, growth→mature 1, prospect→onboarding 1.
    const byBranch = migrationMatrixByGroup(A, B, branch);
    const one = byBranch.get(1);
    expect(one?.counts[c('onboarding')]?.[c('honeymoon')]).toBe(2);
    expect(one?.counts[c('prospect')]?.[c('onboarding')]).toBe(1);
    expect(one?.total).toBe(4);
    expect((byBranch.get(1)?.total ?? 0) + (byBranch.get(2)?.total ?? 0)).toBe(
      migrationMatrix(A, B).total,
    );
  });
});
