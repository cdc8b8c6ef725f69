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
import { loadFeatureInput, loadPeriods, openDatabase, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from './clickhouse.js';
import { openDuckDb } from './duckdb.js';
import { openPostgres } from './postgres.js';
import { runPushdown, type PushdownResult, type Warehouse } from './pushdown.js';
import { startClickHouse, startPostgres, type LocalServer } from './servers.js';
import { sqliteWarehouse } from './sqlite.js';

// One demo bank in SQLite; the in-memory engine's tags are the reference every warehouse's
// SQL must reproduce, customer by customer.
let db: StrataDb;
let periods: Period[];
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
  return warehouse;
}

describe('warehouse pushdown gives the in-memory engine’s tags, customer by customer', () => {
  it('SQLite (Strata’s own database)', async () => {
    await checkTarget(async () => sqliteWarehouse(db));
  });

  it('DuckDB (embedded column store)', async () => {
    await checkTarget(async () => {
      const duck = await openDuckDb(':memory:', { threads: 2 });
      const counts = await duck.loadFrom(db);
      expect(counts.customers).toBe(2_640);
      return duck;
    });
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
