import { NO_SEGMENT } from '@strata/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_INSIGHT_CONFIG,
  LIFECYCLE_STAGES,
  STARTER_SEGMENTS,
  concatInputs,
  type FeatureInput,
} from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { loadFeatureInput, loadFeatureInputs, loadPeriods } from './features.js';
import { bumpDataVersion, currentBlocks } from './metric-blocks.js';
import {
  getLatestInsightRun,
  getSegmentMembers,
  listInsightRuns,
  runInsightRefresh,
} from './insight-refresh.js';
import { getCustomerProfile, getInsightMatrix } from './queries/insight.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';

const clock = () => new Date('2026-11-01T08:00:00Z');
let dir: string;
let db: StrataDb;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-insight-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(db, { seed: 5, retail: 2_000, corporate: 200 }, undefined, clock);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadFeatureInputs', () => {
  it('reads the same columns in chunks as in one piece', () => {
    const whole = loadFeatureInput(db, '2026-10');
    const chunks = [...loadFeatureInputs(db, '2026-10', { chunkSize: 777 })];
    expect(chunks.map((c) => c.size)).toEqual([777, 777, 646]);
    const ids = chunks.flatMap((c) => [...c.customerIds]);
    expect(ids).toEqual([...whole.customerIds]);
    const aum = chunks.flatMap((c) => {
      const t = c.periods.indexOf('2026-10');
      return [...c.monthly.aum_avg.subarray(t * c.size, (t + 1) * c.size)];
    });
    const t = whole.periods.indexOf('2026-10');
    expect(aum).toEqual([...whole.monthly.aum_avg.subarray(t * whole.size, (t + 1) * whole.size)]);
  });
});

describe('runInsightRefresh', () => {
  it('stored a run with the seed: every known customer tagged, memberships and aggregates agreeing', () => {
    const run = getLatestInsightRun(db);
    expect(run?.period).toBe('2026-10');
    expect(run?.status).toBe('succeeded');
    expect(run?.startedAt).toBe('2026-11-01T08:00:00.000Z');
    const id = run?.id ?? -1;
    const tagged = db.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
      .pluck()
      .get(id);
    const known = db.sqlite
      .prepare("SELECT count(*) FROM customers WHERE linked_on <= '2026-10-31'")
      .pluck()
      .get();
    expect(tagged).toBe(known);
    for (const s of run?.summary.segments ?? []) {
      const members = getSegmentMembers(db, id, s.key);
      expect(members.length, s.key).toBe(s.count);
      const tagged = db.sqlite
        .prepare(
          "SELECT count(*) FROM insight_customers WHERE run_id = ? AND ' ' || segments || ' ' LIKE '% ' || ? || ' %'",
        )
        .pluck()
        .get(id, s.key);
      expect(tagged, s.key).toBe(s.count);
      const matrix = getInsightMatrix(db, { runId: id, dimension: 'segment' }).filter(
        (r) => r.value === s.key,
      );
      expect(matrix.reduce((a, r) => a + r.customers, 0)).toBe(s.count);
    }
    // The primary-segment aggregates equal a direct count of the stored owners, by stage;
    // customers in no segment are counted under NO_SEGMENT.
    const direct = db.sqlite
      .prepare(
        `SELECT coalesce(primary_segment, ?) AS value, stage, count(*) AS customers FROM insight_customers
         WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(NO_SEGMENT, id);
    expect(direct.some((r) => (r as { value: string }).value === NO_SEGMENT)).toBe(true);
    const fromAgg = getInsightMatrix(db, { runId: id, dimension: 'primary' }).map(
      ({ value, stage, customers }) => ({ value, stage, customers }),
    );
    expect(fromAgg).toEqual(direct);
  });

  it('stages agree with the lifecycle run of the same month', () => {
    const id = getLatestInsightRun(db)?.id;
    const disagree = db.sqlite
      .prepare(
        `SELECT count(*) FROM insight_customers i
         JOIN lifecycle_stages l ON l.customer_id = i.customer_id AND l.period = '2026-10'
           AND l.run_id = (SELECT max(id) FROM lifecycle_runs WHERE status = 'succeeded')
         WHERE i.run_id = ? AND i.stage <> l.stage`,
      )
      .pluck()
      .get(id);
    expect(disagree).toBe(0);
  });

  it('scopes the matrix to a branch subtree', () => {
    const id = getLatestInsightRun(db)?.id ?? -1;
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const scoped = getInsightMatrix(db, { runId: id, dimension: 'risk_tier', orgUnitId: branch });
    const direct = db.sqlite
      .prepare(
        `SELECT count(*) FROM insight_customers i JOIN customers c ON c.id = i.customer_id
         JOIN org_units u ON u.id = c.org_unit_id WHERE i.run_id = ? AND u.parent_id = ?`,
      )
      .pluck()
      .get(id, branch);
    expect(scoped.reduce((a, r) => a + r.customers, 0)).toBe(direct);
    expect(scoped.every((r) => (LIFECYCLE_STAGES as readonly string[]).includes(r.stage))).toBe(
      true,
    );
  });

  it('explains any customer with the tags the run stored', () => {
    const ids = db.sqlite
      .prepare('SELECT customer_id FROM insight_customers ORDER BY customer_id LIMIT 2200')
      .pluck()
      .all() as number[];
    for (const id of ids.filter((_, k) => k % 37 === 0)) {
      const p = getCustomerProfile(db, id);
      if (!p?.stored) throw new Error(`no profile for ${id}`);
      const tag = (kind: string) => p.tags.find((t) => t.kind === kind)?.key ?? null;
      expect(tag('stage')).toBe(p.stored.stage);
      expect(tag('value_tier')).toBe(p.stored.valueTier);
      expect(tag('contribution_tier')).toBe(p.stored.contributionTier);
      expect(tag('risk_tier')).toBe(p.stored.riskTier);
      expect(tag('pareto')).toBe(p.stored.pareto);
      expect(tag('rfm')).toBe(p.stored.rfm.join(''));
      expect(tag('cluster')).toBe(p.stored.cluster === null ? null : String(p.stored.cluster));
      const segs = p.tags.filter((t) => t.kind === 'segment');
      expect(segs.map((t) => t.key).sort()).toEqual(p.stored.segments);
      expect(segs.find((t) => t.primary)?.key ?? null).toBe(p.stored.primarySegment);
      expect(p.history.length).toBeGreaterThan(0);
      // the history read off the snapshots already loaded equals the snapshots' rows
      expect(p.history).toEqual(
        db.sqlite
          .prepare(
            `SELECT period, aum_avg AS aum, deposits_avg AS deposits, product_types AS productTypes, active_txn_count AS activeTxnCount
             FROM monthly_metrics WHERE customer_id = ? AND period <= ? ORDER BY period`,
          )
          .all(id, p.period),
      );
      for (const t of p.tags) expect(t.why['zh-CN'].length).toBeGreaterThan(0);
    }
  });

  it('adds runs without touching earlier ones; a failed run is marked failed and writes nothing', () => {
    const before = getLatestInsightRun(db);
    const second = runInsightRefresh(db, { period: '2026-09', now: clock });
    expect(second.period).toBe('2026-09');
    expect(getLatestInsightRun(db, '2026-10')?.id).toBe(before?.id);
    const bad = {
      ...DEFAULT_INSIGHT_CONFIG,
      segments: STARTER_SEGMENTS,
      clusters: {
        k: 4,
        seed: 1,
        maxIterations: 5,
        scope: 'retail' as const,
        features: ['no_such_feature' as never],
      },
    };
    expect(() => runInsightRefresh(db, { config: bad, now: clock })).toThrow();
    const runs = listInsightRuns(db);
    expect(runs[0]?.status).toBe('failed');
    expect(runs[0]?.error).toBeTruthy();
    const rows = db.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
      .pluck()
      .get(runs[0]?.id);
    expect(rows).toBe(0);
    expect(getLatestInsightRun(db)?.id).toBe(second.runId);
    expect(getLatestInsightRun(db, '2026-10')?.id).toBe(before?.id);
  });
});

describe('metric blocks', () => {
  it('are built by the seed and give the same feature input as the rows, for any month', () => {
    const periods = loadPeriods(db);
    expect(currentBlocks(db, periods)).not.toBeNull();
    // Everything as plain values, categories decoded, so the two can be compared whole.
    const plain = (input: FeatureInput) => ({
      ...input,
      monthly: Object.fromEntries(
        Object.entries(input.monthly).map(([k, v]) => [
          k,
          Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
        ]),
      ),
      categories: Object.fromEntries(
        Object.entries(input.categories).map(([k, c]) => [
          k,
          Array.from(c.codes, (code) => (code < 0 ? null : c.values[code])),
        ]),
      ),
    });
    for (const asOf of ['2026-10', '2026-06']) {
      const fromBlocks = concatInputs([...loadFeatureInputs(db, asOf)]);
      const fromRows = concatInputs([...loadFeatureInputs(db, asOf, { chunkSize: 100_000 })]);
      expect(plain(fromBlocks)).toEqual(plain(fromRows));
    }
    expect(loadFeatureInput(db, '2026-10').size).toBe(2_200);
  });

  it('go stale when the snapshots change, and the refresh rebuilds them', () => {
    const periods = loadPeriods(db);
    db.sqlite.transaction(() => {
      db.sqlite
        .prepare(
          "UPDATE monthly_metrics SET aum_avg = aum_avg + 1 WHERE customer_id = 1 AND period = '2026-10'",
        )
        .run();
      bumpDataVersion(db);
    })();
    expect(currentBlocks(db, periods)).toBeNull();
    const rows = loadFeatureInput(db, '2026-10');
    const result = runInsightRefresh(db, { now: clock });
    expect(result.timings.blocks).toBeGreaterThanOrEqual(0);
    expect(currentBlocks(db, periods)).not.toBeNull();
    const blocks = loadFeatureInput(db, '2026-10');
    const t = blocks.periods.indexOf('2026-10');
    expect(blocks.monthly.aum_avg[t * blocks.size]).toBe(rows.monthly.aum_avg[t * rows.size]);
  });
});
