import {
  DEFAULT_INSIGHT_CONFIG,
  LIFECYCLE_STAGES,
  lifecycleConfig,
  NOT_LINKED,
  tagChunk,
  type ChunkTags,
  type InsightConfig,
  type Period,
} from '@strata/core';
import {
  getCustomerProfile,
  getLatestInsightRun,
  loadFeatureInput,
  loadPeriods,
  openDatabase,
  runInsightRefresh,
  type StrataDb,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from './clickhouse.js';
import { openDuckDb } from './duckdb.js';
import { openPostgres } from './postgres.js';
import { runPushdown, type PushdownResult, type Warehouse } from './pushdown.js';
import { pushdownRefresh } from './refresh.js';
import { startClickHouse, startPostgres, type LocalServer } from './servers.js';
import { sqliteWarehouse } from './sqlite.js';

// One demo bank in SQLite; the in-memory engine's tags are the reference every warehouse's
// SQL must reproduce, customer by customer.
let db: StrataDb;
let periods: Period[];
/** The in-memory insight run every pushed-down run is compared with. */
let memoryRun: number;
const clock = () => new Date('2026-11-02T08:00:00Z');
const servers: LocalServer[] = [];
const warehouses: Warehouse[] = [];

/** A second configuration, every threshold the SQL reads moved, to show it follows the config. */
const TIGHT: InsightConfig = {
  ...DEFAULT_INSIGHT_CONFIG,
  lifecycle: lifecycleConfig({
    dormantDays: 60,
    trendMonths: 2,
    declineDrop: 0.2,
    outflowMonths: 2,
  }),
  downgradeMonths: 1,
  retailLadder: [
    { id: 'base', min: 0, label: { 'zh-CN': '基础', en: 'Base' } },
    { id: 'plus', min: 20_000, label: { 'zh-CN': '进阶', en: 'Plus' } },
    { id: 'top', min: 300_000, label: { 'zh-CN': '高端', en: 'Top' } },
  ],
};

beforeAll(() => {
  db = openDatabase(':memory:');
  seedDemoBank(
    db,
    { seed: 11, retail: 2_400, corporate: 240 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  periods = loadPeriods(db);
  memoryRun = runInsightRefresh(db, { now: clock }).runId;
}, 120_000);

afterAll(async () => {
  for (const w of warehouses) await w.close();
  for (const s of servers) await s.stop();
  db.close();
});

function reference(config: InsightConfig, asOf: Period): { ids: Int32Array; tags: ChunkTags } {
  const input = loadFeatureInput(db, asOf);
  return { ids: input.customerIds, tags: tagChunk(input, config) };
}

/** Every tag of every customer equal to the in-memory engine's; returns the mismatches by column. */
function differences(result: PushdownResult, config: InsightConfig, asOf: Period) {
  const { ids, tags } = reference(config, asOf);
  const at = new Map(Array.from(ids, (id, i) => [id, i]));
  const out: Record<string, { count: number; first: string }> = {};
  const note = (column: string, id: number, got: number, want: number) => {
    if (got === want) return;
    const entry = (out[column] ??= { count: 0, first: `customer ${id}: ${got} ≠ ${want}` });
    entry.count++;
  };
  expect(result.tags.customerIds.length).toBe(ids.length);
  result.tags.customerIds.forEach((id, j) => {
    const i = at.get(id);
    if (i === undefined) throw new Error(`customer ${id} is not in the bank`);
    note('stage', id, result.tags.stage[j] as number, tags.stage[i] as number);
    if (tags.stage[i] !== NOT_LINKED)
      note('stageReason', id, result.tags.stageReason[j] as number, tags.stageReason[i] as number);
    note(
      'previousStage',
      id,
      result.tags.previousStage[j] as number,
      tags.previousStage[i] as number,
    );
    note('aumTier', id, result.tags.aumTier[j] as number, tags.aumTier[i] as number);
    note(
      'corporateTier',
      id,
      result.tags.corporateTier[j] as number,
      tags.corporateTier[i] as number,
    );
    note('riskTier', id, result.tags.riskTier[j] as number, tags.riskTier[i] as number);
    config.segments.forEach((s, k) =>
      note(
        `segment ${s.key}`,
        id,
        result.tags.members.get(s.key)?.[j] as number,
        tags.members[k]?.[i] as number,
      ),
    );
  });
  return out;
}

const TAG_COLUMNS =
  'customer_id, stage, stage_reason, previous_stage, value_tier, contribution_tier, risk_tier, enterprise_size, primary_segment, segments';

/**
 * The refresh in pushdown mode stores a run equal to the in-memory run in everything but RFM,
 * Pareto and clusters: every customer's tags, the segment members, the aggregates, the counts.
 */
async function checkRefresh(warehouse: Warehouse) {
  const result = await pushdownRefresh(db, warehouse, { now: clock });
  const runs = [result.runId, memoryRun] as const;
  const onlyIn = (a: number, b: number) =>
    db.sqlite
      .prepare(
        `SELECT count(*) FROM (SELECT ${TAG_COLUMNS} FROM insight_customers WHERE run_id = ? EXCEPT SELECT ${TAG_COLUMNS} FROM insight_customers WHERE run_id = ?)`,
      )
      .pluck()
      .get(a, b);
  expect(onlyIn(runs[0], runs[1]), `${warehouse.name}: tags only in the pushed-down run`).toBe(0);
  expect(onlyIn(runs[1], runs[0]), `${warehouse.name}: tags only in the in-memory run`).toBe(0);
  const stored = (runId: number) =>
    db.sqlite
      .prepare(
        'SELECT count(*) AS n, count(NULLIF(rfm_r, 0)) AS rfm, count(pareto) AS pareto, count(cluster) AS cluster, count(segments) AS segmented FROM insight_customers WHERE run_id = ?',
      )
      .get(runId) as { n: number; rfm: number; pareto: number; cluster: number; segmented: number };
  const pushed = stored(runs[0]);
  expect(pushed.n).toBe(stored(runs[1]).n);
  expect(pushed.n).toBeGreaterThan(2_000);
  expect(pushed.segmented).toBeGreaterThan(500);
  expect([pushed.rfm, pushed.pareto, pushed.cluster]).toEqual([0, 0, 0]);

  const members = (runId: number) =>
    db.sqlite
      .prepare(
        'SELECT segment_key, count, hex(ids) AS ids FROM insight_segment_members WHERE run_id = ? ORDER BY segment_key',
      )
      .all(runId);
  expect(members(runs[0])).toEqual(members(runs[1]));

  const aggregates = (runId: number) =>
    db.sqlite
      .prepare(
        "SELECT dimension, value, org_unit_id, stage, customers, aum FROM insight_agg WHERE run_id = ? AND dimension NOT IN ('cluster', 'pareto') ORDER BY dimension, value, org_unit_id, stage",
      )
      .all(runId) as { customers: number; aum: number }[];
  const got = aggregates(runs[0]);
  const want = aggregates(runs[1]);
  expect(got.map(({ aum: _, ...cell }) => cell)).toEqual(want.map(({ aum: _, ...cell }) => cell));
  got.forEach((cell, k) => {
    const ref = (want[k] as { aum: number }).aum;
    expect(Math.abs(cell.aum - ref)).toBeLessThanOrEqual(Math.abs(ref) * 1e-9 + 1e-6);
  });
  expect(got.length).toBeGreaterThan(100);

  const latest = getLatestInsightRun(db);
  expect(latest?.id).toBe(result.runId);
  expect(latest?.model.source).toBe(warehouse.name);
  expect([latest?.model.rfm, latest?.model.pareto, latest?.model.clusters]).toEqual([
    null,
    null,
    null,
  ]);
  const memory = JSON.parse(
    db.sqlite
      .prepare('SELECT summary FROM insight_runs WHERE id = ?')
      .pluck()
      .get(memoryRun) as string,
  ) as { segments: unknown; overlap: unknown };
  expect(latest?.summary.segments).toEqual(memory.segments);
  expect(latest?.summary.overlap).toEqual(memory.overlap);

  // A customer's profile from the pushed-down run: the same tags and reasons, no RFM or Pareto.
  const someone = db.sqlite
    .prepare(
      'SELECT customer_id FROM insight_customers WHERE run_id = ? AND segments IS NOT NULL ORDER BY customer_id LIMIT 1',
    )
    .pluck()
    .get(result.runId) as number;
  const profile = getCustomerProfile(db, someone);
  expect(profile?.runId).toBe(result.runId);
  const kinds = new Set(profile?.tags.map((t) => t.kind));
  expect(kinds.has('stage') && kinds.has('segment')).toBe(true);
  expect(kinds.has('rfm') || kinds.has('pareto') || kinds.has('cluster')).toBe(false);
  expect(profile?.stored?.stage).toBe(profile?.tags.find((t) => t.kind === 'stage')?.key);
}

async function checkTarget(open: () => Promise<Warehouse>) {
  const warehouse = await open();
  warehouses.push(warehouse);
  for (const [config, asOf] of [
    [DEFAULT_INSIGHT_CONFIG, periods[periods.length - 1]],
    [DEFAULT_INSIGHT_CONFIG, periods[periods.length - 4]],
    [TIGHT, periods[periods.length - 1]],
  ] as const) {
    const result = await runPushdown(warehouse, config, { asOf: asOf as Period, periods });
    expect(differences(result, config, asOf as Period), `${warehouse.name} ${asOf}`).toEqual({});
    // The counts describe the same bank: every known customer in one stage, most stages used.
    const known = [...result.tags.stage].filter((s) => s !== NOT_LINKED).length;
    expect(Object.values(result.stageCounts).reduce((a, b) => a + b, 0)).toBe(known);
    expect(
      LIFECYCLE_STAGES.filter((s) => (result.stageCounts[s] ?? 0) > 0).length,
    ).toBeGreaterThanOrEqual(6);
  }
  await checkRefresh(warehouse);
  return warehouse;
}

describe('warehouse pushdown gives the in-memory engine’s tags, customer by customer', () => {
  it('SQLite (Strata’s own database)', async () => {
    await checkTarget(async () => sqliteWarehouse(db));
  });

  it('DuckDB (embedded column store)', async () => {
    const duck = await checkTarget(async () => {
      const duck = await openDuckDb(':memory:', { threads: 2 });
      const counts = await duck.loadFrom(db);
      expect(counts.customers).toBe(2_640);
      return duck;
    });
    // A warehouse that lost a customer is refused by name, and the run is marked failed.
    const runs = () => db.sqlite.prepare('SELECT count(*) FROM insight_runs').pluck().get();
    const before = runs();
    const victim = db.sqlite.prepare('SELECT max(id) FROM customers').pluck().get() as number;
    await duck.query(`DELETE FROM customers WHERE id = ${victim}`, []);
    await expect(pushdownRefresh(db, duck, { now: clock })).rejects.toThrow(
      `customer ${victim} is in Strata but not in the warehouse`,
    );
    expect(runs()).toBe((before as number) + 1);
    const last = db.sqlite
      .prepare('SELECT status, error FROM insight_runs ORDER BY id DESC LIMIT 1')
      .get() as { status: string; error: string };
    expect(last.status).toBe('failed');
    expect(last.error).toContain('Load the warehouse again');
  }, 120_000);

  it('PostgreSQL (Debian’s server on loopback)', async () => {
    const server = await startPostgres();
    servers.push(server);
    await checkTarget(async () => {
      const pg = await openPostgres(server.url);
      await pg.loadFrom(db);
      // Personal data never reaches the warehouse.
      const { rows } = await pg.query(
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name IN ('name', 'id_number', 'phone')",
        [],
      );
      expect(rows[0]?.[0]).toBe(0);
      return pg;
    });
  }, 120_000);

  it('ClickHouse, two shards on loopback behind Distributed tables', async () => {
    const server = await startClickHouse(2);
    servers.push(server);
    const warehouse = await checkTarget(async () => {
      const ch = openClickHouse({ shards: server.shards, cluster: server.cluster });
      await ch.loadFrom(db);
      return ch;
    });
    // The customers really are spread over both shards, and the result still matches.
    for (const shard of server.shards) {
      const response = await fetch(
        `${shard}/?query=${encodeURIComponent('SELECT count() FROM customers_local')}`,
      );
      const count = Number((await response.text()).trim());
      expect(count).toBeGreaterThan(1_000);
      expect(count).toBeLessThan(1_640);
    }
    const result = await runPushdown(warehouse, DEFAULT_INSIGHT_CONFIG, {
      asOf: periods[periods.length - 1] as Period,
      periods,
    });
    expect(result.bytes).toBeGreaterThan(0);
  }, 180_000);
});
