import { type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createCaller } from './root.js';
import { callerAs } from './test-callers.js';
import { openTestDatabase } from '@strata/db/testing';

let db: StrataDb;
let api: ReturnType<typeof createCaller>;

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(
    db,
    { seed: 5, retail: 1_500, corporate: 150 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  api = callerAs(db, 'admin');
});
afterAll(() => db.close());

describe('lifecycle.funnel', () => {
  it('defaults to the latest period and counts every customer known then', async () => {
    const funnel = await api.lifecycle.funnel();
    expect(funnel.period).toBe('2026-10');
    expect(funnel.rows.map((r) => r.stage)).toEqual([
      'prospect',
      'onboarding',
      'honeymoon',
      'growth',
      'mature',
      'declining',
      'dormant',
      'churned',
      'winback',
    ]);
    const known = db.sqlite
      .prepare("SELECT count(*) FROM customers WHERE linked_on <= '2026-10-31'")
      .pluck()
      .get();
    expect(funnel.total).toBe(known);
  });

  it('takes a branch by id or by its code and gives the same funnel', async () => {
    const unit = db.sqlite
      .prepare("SELECT id, code FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .get() as { id: number; code: string };
    const byId = await api.lifecycle.funnel({ period: '2026-05', branch: unit.id });
    const byCode = await api.lifecycle.funnel({ period: '2026-05', branch: unit.code });
    expect(byCode.rows).toEqual(byId.rows);
    expect(byId.branch?.code).toBe(unit.code);
    expect(byId.total).toBeGreaterThan(0);
  });

  it('refuses a malformed period, naming the field', async () => {
    await expect(api.lifecycle.funnel({ period: '2026-13' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(api.lifecycle.funnel({ period: '2026-13' })).rejects.toThrow(/YYYY-MM/);
  });

  it('says which periods exist when asked for one outside the run', async () => {
    await expect(api.lifecycle.funnel({ period: '2019-01' })).rejects.toThrow(
      'No lifecycle data for 2019-01; the latest run covers 2025-10 to 2026-10.',
    );
  });

  it('answers NOT_FOUND for an unknown branch', async () => {
    await expect(api.lifecycle.funnel({ branch: 999_999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('lifecycle.migration', () => {
  it('defaults to the last two periods and its totals match both funnels', async () => {
    const m = await api.lifecycle.migration();
    expect([m.from, m.to]).toEqual(['2026-09', '2026-10']);
    const before = await api.lifecycle.funnel({ period: '2026-09' });
    const after = await api.lifecycle.funnel({ period: '2026-10' });
    expect(m.matrix.total).toBe(before.total);
    expect(m.matrix.total + m.matrix.arrivals.reduce((a, b) => a + b, 0)).toBe(after.total);
    expect(m.matrix.toTotals.map((x, k) => x + (m.matrix.arrivals[k] ?? 0))).toEqual(
      after.rows.map((r) => r.count),
    );
  });

  it('refuses a "from" that is not before "to"', async () => {
    await expect(api.lifecycle.migration({ from: '2026-10', to: '2026-05' })).rejects.toThrow(
      /must be an earlier period/,
    );
  });
});
