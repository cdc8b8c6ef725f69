// Storing an insight run: begin (a row marked running), complete (per-customer tags,
// memberships, aggregates, model and summary in one transaction), or fail. `runInsightRefresh`
// does all three around the engine; a warehouse pushdown computes the run elsewhere in between.
import {
  LIFECYCLE_REASONS,
  LIFECYCLE_STAGES,
  NOT_LINKED,
  PARETO_CLASSES,
  SIZES,
  type InsightConfig,
  type InsightRun,
  type Period,
} from '@strata/core';
import { eq } from 'drizzle-orm';
import { explainBusy } from './busy.js';
import { withTrustedReferences } from './foreign-keys.js';
import { dataVersion } from './metric-blocks.js';
import { insightRuns } from './schema/index.js';
import type { StrataDb } from './types.js';

/** The steps of an insight refresh, for progress reporting. */
export type InsightStep = 'blocks' | 'load' | 'compute' | 'store';

/** A run's summary: what dashboards read without touching per-customer rows. */
export interface InsightSummary {
  readonly segments: readonly {
    key: string;
    count: number;
    effectiveCount: number;
    primaryCount: number;
  }[];
  readonly overlap: InsightRun['overlap'];
  readonly clusters: InsightRun['clusterProfiles'];
}

const CUSTOMER_COLUMNS =
  'run_id, customer_id, stage, stage_reason, previous_stage, value_tier, contribution_tier, risk_tier, enterprise_size, rfm_r, rfm_f, rfm_m, pareto, cluster, primary_segment, segments';
/** Rows per INSERT: fewer statements, far fewer round trips into SQLite. */
const ROWS_PER_INSERT = 128;

function storeRun(db: StrataDb, runId: number, run: InsightRun, onRow: (done: number) => void) {
  const width = CUSTOMER_COLUMNS.split(',').length;
  const placeholders = (rows: number) =>
    Array.from(
      { length: rows },
      () => `(${Array.from({ length: width }, () => '?').join(', ')})`,
    ).join(', ');
  const insertMany = db.sqlite.prepare(
    `INSERT INTO insight_customers (${CUSTOMER_COLUMNS}) VALUES ${placeholders(ROWS_PER_INSERT)}`,
  );
  const insertOne = db.sqlite.prepare(
    `INSERT INTO insight_customers (${CUSTOMER_COLUMNS}) VALUES ${placeholders(1)}`,
  );
  const members = db.sqlite.prepare(
    'INSERT INTO insight_segment_members (run_id, segment_key, count, ids) VALUES (?, ?, ?, ?)',
  );
  const agg = db.sqlite.prepare(
    'INSERT INTO insight_agg (run_id, dimension, value, org_unit_id, stage, customers, aum) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const { config } = run.model;
  const name = <T>(list: readonly T[], code: number, f: (x: T) => string) => {
    const x = list[code];
    return x === undefined ? null : f(x);
  };
  const keys = run.segments.map((seg) => seg.key);
  const batch: unknown[] = [];
  for (let i = 0; i < run.size; i++) {
    if (run.universe[i] !== 1 || run.stage[i] === NOT_LINKED) continue;
    const previous = run.previousStage[i] as number;
    let segments = '';
    for (let k = 0; k < keys.length; k++)
      if (run.segments[k]?.members[i] === 1) segments += segments ? ` ${keys[k]}` : keys[k];
    batch.push(
      runId,
      run.customerIds[i],
      LIFECYCLE_STAGES[run.stage[i] as number],
      LIFECYCLE_REASONS[run.stageReason[i] as number],
      previous === NOT_LINKED ? null : LIFECYCLE_STAGES[previous],
      name(config.retailLadder, run.aumTier[i] as number, (r) => r.id),
      name(config.corporateLadder, run.corporateTier[i] as number, (r) => r.id),
      name(config.riskTiers, run.riskTier[i] as number, (r) => r.id),
      name(SIZES, run.enterpriseSize[i] as number, (x) => x),
      // 0: no score (a customer without the figures; everyone in a pushed-down run)
      run.rfm.r[i],
      run.rfm.f[i],
      run.rfm.m[i],
      name(PARETO_CLASSES, run.pareto[i] as number, (x) => x),
      run.cluster[i] === -1 ? null : run.cluster[i],
      name(config.segments, run.primary[i] as number, (x) => x.key),
      segments || null,
    );
    if (batch.length === width * ROWS_PER_INSERT) {
      insertMany.run(...batch);
      batch.length = 0;
    }
    if ((i & 8191) === 0) onRow(i);
  }
  for (let at = 0; at < batch.length; at += width) insertOne.run(...batch.slice(at, at + width));
  for (const seg of run.segments) {
    const ids = new Int32Array(seg.count);
    let at = 0;
    for (let i = 0; i < run.size; i++)
      if (seg.members[i] === 1) ids[at++] = run.customerIds[i] as number;
    ids.sort();
    members.run(runId, seg.key, seg.count, Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
  }
  for (const a of run.aggregates)
    agg.run(runId, a.dimension, a.value, a.orgUnitId, a.stage, a.customers, a.aum);
  onRow(run.size);
}

/**
 * Records a new insight run of a month as running and returns its id; a database another
 * writer holds gives a clear error and records nothing. Finish it with `completeInsightRun` or
 * `failInsightRun` (`runInsightRefresh` does all three; a warehouse pushdown computes the run
 * elsewhere in between).
 */
export function beginInsightRun(
  db: StrataDb,
  period: Period,
  config: InsightConfig,
  now: () => Date = () => new Date(),
): number {
  try {
    return db.orm
      .insert(insightRuns)
      .values({
        period,
        startedAt: now().toISOString(),
        status: 'running',
        config: JSON.stringify(config),
      })
      .returning({ id: insightRuns.id })
      .get().id;
  } catch (error) {
    throw explainBusy(error); // another writer holds the database: no run was recorded
  }
}

/**
 * Stores a computed run (per-customer tags, memberships, aggregates, model and summary) and
 * marks it succeeded, in one transaction; returns the timings recorded with it.
 */
export function completeInsightRun(
  db: StrataDb,
  runId: number,
  result: InsightRun,
  options: {
    readonly now?: () => Date;
    /** Timings measured before the store (added to the run's own). */
    readonly timings?: Readonly<Record<string, number>>;
    /**
     * The data version (`dataVersion`) at which every customer id of the run was read from the
     * customers table. Given, the rows are stored without SQLite's per-row foreign-key lookup
     * (a million lookups, ~0.5 s at 1M) when the version is still current in the write
     * transaction — nothing about customers changed since — and checked in one query otherwise.
     */
    readonly customersReadAt?: number;
    readonly onProgress?: (step: InsightStep, done: number, total: number) => void;
  } = {},
): Record<string, number> {
  const now = options.now ?? (() => new Date());
  const computed = performance.now();
  options.onProgress?.('compute', 1, 1);
  const summary: InsightSummary = {
    segments: result.segments.map(({ key, count, effectiveCount, primaryCount }) => ({
      key,
      count,
      effectiveCount,
      primaryCount,
    })),
    overlap: result.overlap,
    clusters: result.clusterProfiles,
  };
  let timings: Record<string, number> = {};
  const store = (unchecked: boolean) =>
    db.sqlite.transaction(() => {
      storeRun(db, runId, result, (done) => options.onProgress?.('store', done, result.size));
      if (unchecked && dataVersion(db) !== options.customersReadAt) {
        const missing = db.sqlite
          .prepare(
            'SELECT ic.customer_id FROM insight_customers ic LEFT JOIN customers c ON c.id = ic.customer_id WHERE ic.run_id = ? AND c.id IS NULL LIMIT 1',
          )
          .pluck()
          .get(runId) as number | undefined;
        if (missing !== undefined)
          throw new Error(
            `Customer ${missing} was removed while the refresh ran; nothing was stored. Run the refresh again.`,
          );
      }
      timings = {
        ...result.timings,
        ...options.timings,
        store: Math.round(performance.now() - computed),
      };
      db.orm
        .update(insightRuns)
        .set({
          status: 'succeeded',
          finishedAt: now().toISOString(),
          model: JSON.stringify(result.model),
          summary: JSON.stringify(summary),
          customers: result.size,
          timings: JSON.stringify(timings),
        })
        .where(eq(insightRuns.id, runId))
        .run();
    })();
  // Without the per-row lookups only when the caller says when it read the customers.
  if (options.customersReadAt === undefined) store(false);
  else withTrustedReferences(db, store);
  return timings;
}

/** Marks a run failed with the error's message; returns the error to throw (busy explained). */
export function failInsightRun(
  db: StrataDb,
  runId: number,
  caught: unknown,
  now: () => Date = () => new Date(),
): unknown {
  const error = explainBusy(caught);
  try {
    db.orm
      .update(insightRuns)
      .set({
        status: 'failed',
        finishedAt: now().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      })
      .where(eq(insightRuns.id, runId))
      .run();
  } catch {
    // still locked: the run stays 'running' and the next start marks it failed
  }
  return error;
}
