import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestInsightRun } from './insight-refresh.js';
import { corporateDeposits, customerListEntries, searchCustomers } from './queries/customers.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
let run: { id: number; period: string };
const now = new Date('2026-11-05T09:00:00Z');
const admin = { role: 'admin', orgUnitId: null, rmId: null } as const;
const page = { limit: 200, offset: 0 };

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 17, retail: 2_000, corporate: 200 }, undefined, () => now);
  const latest = getLatestInsightRun(db);
  if (!latest) throw new Error('no run');
  run = latest;
});
afterAll(() => db.close());

describe('customer search', () => {
  it('finds by customer number, by surname only, and masks names', () => {
    const some = db.sqlite
      .prepare(
        // three characters or more: a two-character name reads as a compound surname
        "SELECT external_id AS ext, name FROM customers WHERE kind = 'retail' AND length(name) >= 3 ORDER BY id LIMIT 1",
      )
      .get() as { ext: string; name: string };
    const byId = searchCustomers(db, admin, run, { q: some.ext }, page);
    expect(byId.rows.map((r) => r.externalId)).toContain(some.ext);
    expect(byId.rows.every((r) => r.externalId.startsWith(some.ext))).toBe(true);
    const surname = [...some.name][0] as string;
    const bySurname = searchCustomers(db, admin, run, { q: surname }, page);
    expect(bySurname.total).toBeGreaterThan(0);
    for (const r of bySurname.rows) {
      expect(r.name.startsWith(surname)).toBe(true);
      expect(r.name).not.toBe(some.name); // masked: the surname and stars only
    }
    // a full name is not searchable: names are masked to the surname
    expect(searchCustomers(db, admin, run, { q: some.name }, page).total).toBe(0);
  });

  it('filters by stage, tier and segment against the latest run, with a total for paging', () => {
    const stage = db.sqlite
      .prepare(
        'SELECT stage, count(*) AS n FROM insight_customers WHERE run_id = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
      )
      .get(run.id) as { stage: string; n: number };
    const found = searchCustomers(db, admin, run, { stage: stage.stage }, { limit: 10, offset: 0 });
    expect(found.total).toBe(stage.n);
    expect(found.rows).toHaveLength(10);
    expect(found.rows.every((r) => r.stage === stage.stage)).toBe(true);
    const second = searchCustomers(
      db,
      admin,
      run,
      { stage: stage.stage },
      { limit: 10, offset: 10 },
    );
    expect(second.rows[0]?.id).toBeGreaterThan(found.rows[9]?.id as number);
    const seg = db.sqlite
      .prepare(
        'SELECT primary_segment FROM insight_customers WHERE run_id = ? AND primary_segment IS NOT NULL LIMIT 1',
      )
      .pluck()
      .get(run.id) as string;
    const inSegment = searchCustomers(db, admin, run, { segment: seg }, page);
    expect(inSegment.total).toBeGreaterThanOrEqual(
      db.sqlite
        .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ? AND primary_segment = ?')
        .pluck()
        .get(run.id, seg) as number,
    );
  });

  it('drills into a migration cell: customers by their stage now and the month before', () => {
    const cell = db.sqlite
      .prepare(
        'SELECT previous_stage AS prev, stage, count(*) AS n FROM insight_customers WHERE run_id = ? AND previous_stage IS NOT NULL AND previous_stage != stage GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1',
      )
      .get(run.id) as { prev: string; stage: string; n: number };
    const found = searchCustomers(
      db,
      admin,
      run,
      { stage: cell.stage, previousStage: cell.prev },
      page,
    );
    expect(found.total).toBe(cell.n);
    const arrivals = db.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ? AND previous_stage IS NULL')
      .pluck()
      .get(run.id) as number;
    expect(searchCustomers(db, admin, run, { previousStage: 'none' }, page).total).toBe(arrivals);
  });

  it('keeps a branch manager within the branch, even when asking for another', () => {
    const [a, b] = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 2")
      .pluck()
      .all() as number[];
    const manager = { role: 'branch_manager', orgUnitId: a as number, rmId: null } as const;
    const mine = searchCustomers(db, manager, run, {}, page);
    const all = searchCustomers(db, admin, run, {}, page);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(all.total);
    expect(searchCustomers(db, manager, run, { orgUnitId: b as number }, page).total).toBe(0);
    // and sees no lists of a customer outside it
    const outside = db.sqlite
      .prepare(
        "SELECT c.id FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path NOT LIKE (SELECT path FROM org_units WHERE id = ?) || '%' LIMIT 1",
      )
      .pluck()
      .get(a) as number;
    expect(customerListEntries(db, manager, outside)).toEqual([]);
  });

  it('sums the corporate deposit structure in scope', () => {
    const all = corporateDeposits(db, admin, run.period);
    const direct = db.sqlite
      .prepare(
        "SELECT count(*) AS n, sum(m.settlement_deposits) AS s, sum(m.high_cost_deposits) AS h FROM monthly_metrics m JOIN customers c ON c.id = m.customer_id WHERE m.period = ? AND c.kind = 'corporate'",
      )
      .get(run.period) as { n: number; s: number; h: number };
    expect(all.customers).toBe(direct.n);
    expect(all.settlement).toBeCloseTo(direct.s, 6);
    expect(all.highCost).toBeCloseTo(direct.h, 6);
    expect(all.settlement + all.highCost).toBeLessThanOrEqual(all.deposits + 1e-6);
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const manager = { role: 'branch_manager', orgUnitId: branch, rmId: null } as const;
    expect(corporateDeposits(db, manager, run.period).deposits).toBeLessThan(all.deposits);
  });
});
