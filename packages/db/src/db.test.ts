import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lifecycleConfig } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { runLifecycleRefresh } from './lifecycle-refresh.js';
import {
  getLatestLifecycleRun,
  getLifecycleFunnel,
  getLifecycleMigration,
} from './queries/lifecycle.js';
import { listOrgUnits } from './queries/org.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';

const clock = () => new Date('2026-11-01T08:00:00Z');
let dir: string;
let db: StrataDb;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-db-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(db, { seed: 11, retail: 3_000, corporate: 300 }, undefined, clock);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function direct(sql: string, ...params: unknown[]): { stage: string; count: number }[] {
  return db.sqlite.prepare(sql).all(...params) as { stage: string; count: number }[];
}

describe('seedDemoBank', () => {
  it('loads every customer with 13 months and a succeeded lifecycle run', () => {
    expect(db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(3_300);
    const run = getLatestLifecycleRun(db);
    expect(run?.periods).toHaveLength(13);
    expect(run?.customers).toBe(3_300);
    expect(run?.startedAt).toBe('2026-11-01T08:00:00.000Z');
  });

  it('keeps personal fields in the schema for masking to work on', () => {
    const row = db.sqlite
      .prepare("SELECT name, id_number, phone FROM customers WHERE kind = 'retail' LIMIT 1")
      .get() as Record<string, string>;
    expect(row.id_number).toMatch(/^\d{17}[\dX]$/);
    expect(row.phone).toMatch(/^1\d{10}$/);
  });

  it('refuses to seed a database that already holds customers', () => {
    expect(() => seedDemoBank(db, { retail: 10, corporate: 1 })).toThrow(
      /already holds 3300 customers/,
    );
  });
});

describe('getLifecycleFunnel', () => {
  it('equals a direct count over the per-customer stages, for the bank and for a branch', () => {
    const run = getLatestLifecycleRun(db);
    if (!run) throw new Error('no run');
    const bank = getLifecycleFunnel(db, { runId: run.id, period: '2026-10' });
    const expected = direct(
      'SELECT stage, count(*) AS count FROM lifecycle_stages WHERE run_id = ? AND period = ? GROUP BY stage',
      run.id,
      '2026-10',
    );
    expect(Object.fromEntries(bank.map((r) => [r.stage, r.count]))).toEqual(
      Object.fromEntries(expected.map((r) => [r.stage, r.count])),
    );

    const branch = listOrgUnits(db).find((u) => u.kind === 'branch');
    if (!branch) throw new Error('no branch');
    const scoped = getLifecycleFunnel(db, {
      runId: run.id,
      period: '2026-06',
      orgUnitId: branch.id,
    });
    const scopedExpected = direct(
      `SELECT s.stage, count(*) AS count FROM lifecycle_stages s JOIN customers c ON c.id = s.customer_id
       JOIN org_units o ON o.id = c.org_unit_id WHERE s.run_id = ? AND s.period = ? AND o.parent_id = ? GROUP BY s.stage`,
      run.id,
      '2026-06',
      branch.id,
    );
    expect(Object.fromEntries(scoped.map((r) => [r.stage, r.count]))).toEqual(
      Object.fromEntries(scopedExpected.map((r) => [r.stage, r.count])),
    );
    expect(scoped.reduce((a, r) => a + r.count, 0)).toBeLessThan(
      bank.reduce((a, r) => a + r.count, 0),
    );
  });

  it('sums AUM per stage from the monthly metrics', () => {
    const run = getLatestLifecycleRun(db);
    if (!run) throw new Error('no run');
    const mature = getLifecycleFunnel(db, { runId: run.id, period: '2026-10' }).find(
      (r) => r.stage === 'mature',
    );
    const sum = db.sqlite
      .prepare(
        `SELECT sum(m.aum_avg) FROM lifecycle_stages s JOIN monthly_metrics m ON m.customer_id = s.customer_id AND m.period = s.period
                WHERE s.run_id = ? AND s.period = '2026-10' AND s.stage = 'mature'`,
      )
      .pluck()
      .get(run.id) as number;
    expect(mature?.aum).toBeCloseTo(sum, 2);
  });
});

describe('getLifecycleMigration', () => {
  it('equals a direct self-join of the per-customer stages, arrivals included', () => {
    const run = getLatestLifecycleRun(db);
    if (!run) throw new Error('no run');
    const rows = getLifecycleMigration(db, { runId: run.id, from: '2026-04', to: '2026-10' });
    const expected = db.sqlite
      .prepare(
        `SELECT a.stage AS "from", b.stage AS "to", count(*) AS count FROM lifecycle_stages b
                LEFT JOIN lifecycle_stages a ON a.run_id = b.run_id AND a.customer_id = b.customer_id AND a.period = '2026-04'
                WHERE b.run_id = ? AND b.period = '2026-10' GROUP BY a.stage, b.stage`,
      )
      .all(run.id) as { from: string | null; to: string; count: number }[];
    const key = (r: { from: string | null; to: string }) => `${r.from ?? '∅'}→${r.to}`;
    expect(Object.fromEntries(rows.map((r) => [key(r), r.count]))).toEqual(
      Object.fromEntries(expected.map((r) => [key(r), r.count])),
    );
    expect(rows.some((r) => r.from === null)).toBe(true);
  });
});

describe('runLifecycleRefresh', () => {
  it('adds a new run and keeps the earlier one', () => {
    const before = getLatestLifecycleRun(db);
    const result = runLifecycleRefresh(db, {
      now: clock,
      config: lifecycleConfig({ dormantDays: 365 }),
    });
    expect(result.runId).toBeGreaterThan(before?.id ?? 0);
    expect(getLatestLifecycleRun(db)?.id).toBe(result.runId);
    const count = (id: number) =>
      db.sqlite.prepare('SELECT count(*) FROM lifecycle_stages WHERE run_id = ?').pluck().get(id);
    expect(count(before?.id ?? 0)).toBe(count(result.runId));
  });

  it('marks a failed run failed, writes none of its rows and leaves the latest successful run in place', () => {
    const before = getLatestLifecycleRun(db);
    // A trigger makes the store step fail after the per-customer rows are written.
    db.sqlite.exec(
      "CREATE TRIGGER fail_store BEFORE INSERT ON lifecycle_funnel_agg BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    try {
      expect(() => runLifecycleRefresh(db, { now: clock })).toThrow(/disk on fire/);
    } finally {
      db.sqlite.exec('DROP TRIGGER fail_store');
    }
    const failed = db.sqlite
      .prepare('SELECT id, status, error FROM lifecycle_runs ORDER BY id DESC LIMIT 1')
      .get() as { id: number; status: string; error: string };
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/disk on fire/);
    expect(
      db.sqlite
        .prepare('SELECT count(*) FROM lifecycle_stages WHERE run_id = ?')
        .pluck()
        .get(failed.id),
    ).toBe(0);
    expect(getLatestLifecycleRun(db)?.id).toBe(before?.id);
  });
});

describe('prepared statements kept per connection', () => {
  it('hands back the same statement, never changes the mode of one held elsewhere, and never shares a busy one', () => {
    const mem = openDatabase(':memory:');
    try {
      mem.sqlite.exec('CREATE TABLE t (a INTEGER, b TEXT)');
      const insert = mem.sqlite.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
      for (let a = 1; a <= 5; a++) insert.run(a, `v${a}`);
      expect(mem.sqlite.prepare('INSERT INTO t (a, b) VALUES (?, ?)')).toBe(insert);

      const sql = 'SELECT a, b FROM t ORDER BY a';
      const plucked = mem.sqlite.prepare(sql).pluck();
      const plain = mem.sqlite.prepare(sql);
      expect(plain).not.toBe(plucked);
      expect(plain.get()).toEqual({ a: 1, b: 'v1' });
      expect(plucked.get()).toBe(1); // still plucking after the plain one was handed out
      expect(mem.sqlite.prepare(sql).raw().get()).toEqual([1, 'v1']);
      expect(plucked.pluck(false).get()).toEqual({ a: 1, b: 'v1' });
      expect(mem.sqlite.prepare(sql).pluck()).toBe(plucked);

      // while one is being iterated, the same SQL gets a statement of its own
      const seen: number[] = [];
      for (const row of mem.sqlite.prepare(sql).iterate() as Iterable<{ a: number }>) {
        seen.push(row.a, (mem.sqlite.prepare(sql).all() as unknown[]).length);
      }
      expect(seen).toEqual([1, 5, 2, 5, 3, 5, 4, 5, 5, 5]);
    } finally {
      mem.close();
    }
  });
});
