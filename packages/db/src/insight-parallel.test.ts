import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { loadPeriods } from './features.js';
import {
  beginInsightRun,
  completeInsightRun,
  defaultInsightConfig,
  runInsightRefresh,
} from './insight-refresh.js';
import { parallelInsightChunks } from './insight-parallel.js';
import {
  BLOCK_BYTES,
  blockSize,
  currentBlocks,
  dataVersion,
  decodeBlock,
  rebuildMetricBlocks,
} from './metric-blocks.js';
import { insightChunk, packInsightChunk, refreshInsight } from '@strata/core';
import { loadFeatureInputs } from './features.js';
import { getCustomerProfile } from './queries/insight.js';
import { makeReadyProfiles, readyProfile } from './ready-profiles.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';

const clock = () => new Date('2026-11-01T08:00:00Z');
let dir: string;
let db: StrataDb;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-insight-parallel-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(db, { seed: 11, retail: 1_500, corporate: 150 }, undefined, clock);
  // Small blocks, so the workers share several.
  rebuildMetricBlocks(db, undefined, 211);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stored run's rows without its id, in customer order. */
function storedRun(runId: number) {
  const all = (sql: string) => db.sqlite.prepare(sql).raw().all(runId);
  return {
    customers: all(
      'SELECT customer_id, stage, stage_reason, previous_stage, value_tier, contribution_tier, risk_tier, enterprise_size, rfm_r, rfm_f, rfm_m, pareto, cluster, primary_segment, segments FROM insight_customers WHERE run_id = ? ORDER BY customer_id',
    ),
    members: all(
      'SELECT segment_key, count, hex(ids) FROM insight_segment_members WHERE run_id = ? ORDER BY segment_key',
    ),
    aggregates: all(
      'SELECT dimension, value, org_unit_id, stage, customers, aum FROM insight_agg WHERE run_id = ? ORDER BY dimension, value, org_unit_id, stage',
    ),
    model: all('SELECT model, summary, customers FROM insight_runs WHERE id = ?'),
  };
}

describe('the insight refresh on worker threads', () => {
  it('stores the same run as the refresh in this thread', () => {
    const blocks = currentBlocks(db, loadPeriods(db));
    expect(blocks?.length).toBe(Math.ceil(1_650 / 211));
    const here = runInsightRefresh(db, { threads: 0, now: clock });
    const two = runInsightRefresh(db, { threads: 2, now: clock });
    const three = runInsightRefresh(db, { threads: 3, now: clock });
    const want = storedRun(here.runId);
    expect(want.customers.length).toBeGreaterThan(1_000);
    expect(storedRun(two.runId)).toEqual(want);
    expect(storedRun(three.runId)).toEqual(want);
  });

  it('yields the chunks in block order, each equal to tagging its block here', () => {
    const periods = loadPeriods(db);
    const period = periods[periods.length - 1] as string;
    const blocks = currentBlocks(db, periods) ?? [];
    const config = defaultInsightConfig(db);
    const chunks = [...parallelInsightChunks(db, blocks, dataVersion(db), period, config, 2)];
    expect(chunks.length).toBe(blocks.length);
    chunks.forEach((chunk, b) => {
      const here = insightChunk(decodeBlock(db, blocks[b]?.firstId ?? -1, period), config);
      expect({ ...chunk }).toEqual({ ...packInsightChunk(here)[0] });
    });
  });

  it('names a change of the data under it (its blocks gone) instead of reading other data', () => {
    const periods = loadPeriods(db);
    const blocks = currentBlocks(db, periods) ?? [];
    const chunks = parallelInsightChunks(
      db,
      blocks,
      dataVersion(db) + 1,
      periods[periods.length - 1] as string,
      defaultInsightConfig(db),
      2,
    );
    expect(() => [...chunks]).toThrow(/customer data changed while the refresh read it/);
  });
});

describe('ready profiles on worker threads', () => {
  it('are made as in this thread, and read by the profile', () => {
    const run = runInsightRefresh(db, { threads: 2, now: clock, readyProfiles: false });
    const ids = db.sqlite.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as number[];
    const sample = ids.filter((_, k) => k % 23 === 0);
    const live = sample.map((id) => JSON.parse(JSON.stringify(getCustomerProfile(db, id))));
    const bodies = () => ids.map((id) => readyProfile(db, run.runId, id));
    makeReadyProfiles(db, { threads: 0, now: clock });
    const inThread = bodies();
    expect(inThread.every((b, k) => b?.customerId === ids[k])).toBe(true);
    const three = makeReadyProfiles(db, { threads: 3, now: clock });
    expect(three).toMatchObject({ runId: run.runId, customers: 1_650 });
    expect(bodies()).toEqual(inThread);
    sample.forEach((id, k) => expect(getCustomerProfile(db, id)).toEqual(live[k]));
  });
});

describe('metric blocks', () => {
  it('keep each payload within 16 MiB', () => {
    const months = loadPeriods(db).length;
    const perCustomer = (bytes: number) => bytes / blockSize(months);
    const payload = db.sqlite
      .prepare('SELECT max(length(payload)), max(count) FROM metric_blocks')
      .raw()
      .get() as [number, number];
    expect(perCustomer(BLOCK_BYTES)).toBeGreaterThanOrEqual(payload[0] / payload[1]);
  });
});

describe('storing a run read at a data version', () => {
  it('checks the customers in one query when the data changed since, and stores nothing on a miss', () => {
    const periods = loadPeriods(db);
    const period = periods[periods.length - 1] as string;
    const config = defaultInsightConfig(db);
    const run = refreshInsight(loadFeatureInputs(db, period), config);
    const ids = Int32Array.from(run.customerIds);
    ids[0] = 9_999_999; // no such customer
    const runId = beginInsightRun(db, period, config, clock);
    const stale = dataVersion(db) - 1;
    expect(() =>
      completeInsightRun(db, runId, { ...run, customerIds: ids }, { customersReadAt: stale }),
    ).toThrow(/Customer 9999999 was removed while the refresh ran/);
    const stored = db.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
      .pluck()
      .get(runId);
    expect(stored).toBe(0);
    // Foreign keys are on again afterwards.
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
