import { describe, expect, it } from 'vitest';
import { overlapMatrix, resolvePrimary, type Membership } from './overlap.js';

// Six customers and three segments:
//   i        0 1 2 3 4 5
//   private  1 1 0 0 0 0   priority 1, exclusive
//   senior   1 0 1 1 0 0   priority 5
//   payroll  0 1 0 1 1 0   priority 9
const seg = (key: string, priority: number, exclusive: boolean, members: number[]): Membership => ({
  key,
  priority,
  exclusive,
  members: Uint8Array.from(members),
});
const privateBanking = seg('private', 1, true, [1, 1, 0, 0, 0, 0]);
const senior = seg('senior', 5, false, [1, 0, 1, 1, 0, 0]);
const payroll = seg('payroll', 9, false, [0, 1, 0, 1, 1, 0]);

describe('overlapMatrix', () => {
  it('counts customers in both segments and their Jaccard index', () => {
    const m = overlapMatrix([privateBanking, senior, payroll]);
    // private ∩ senior = {0}; private ∩ payroll = {1}; senior ∩ payroll = {3}.
    expect(m.counts).toEqual([
      [2, 1, 1],
      [1, 3, 1],
      [1, 1, 3],
    ]);
    // senior ∪ payroll = {0,1,2,3,4}: 1 / 5.
    expect(m.jaccard[1]?.[2]).toBeCloseTo(0.2, 12);
    expect(m.jaccard[0]?.[0]).toBe(1);
  });

  it('refuses segments over different customers', () => {
    expect(() => overlapMatrix([privateBanking, seg('x', 1, false, [1])])).toThrow(
      /same customers/,
    );
  });
});

describe('resolvePrimary', () => {
  it('gives every customer the highest-priority segment they are in', () => {
    const r = resolvePrimary([payroll, senior, privateBanking]);
    expect(r.order).toEqual(['private', 'senior', 'payroll']);
    // 0 → private, 1 → private, 2 → senior, 3 → senior, 4 → payroll, 5 → none.
    expect([...r.primary]).toEqual([0, 0, 1, 1, 2, -1]);
    expect(r.primaryCounts).toEqual([2, 2, 1]);
  });

  it('takes an exclusive segment’s members out of the segments below it, and only those', () => {
    const r = resolvePrimary([privateBanking, senior, payroll]);
    // Customer 0 leaves senior, customer 1 leaves payroll; customer 3 stays in both senior and payroll.
    expect([...(r.effective[1] ?? [])]).toEqual([0, 0, 1, 1, 0, 0]);
    expect([...(r.effective[2] ?? [])]).toEqual([0, 0, 0, 1, 1, 0]);
  });
});
