import {
  lifecycleConfigOf,
  LIFECYCLE_REASONS,
  NEVER,
  NOT_LINKED,
  createLifecycleFrame,
  dayOf,
  evaluateLifecycle,
  lifecycleFunnelByGroup,
  migrationMatrixByGroup,
  periodStartDay,
  stageOf,
  type LifecycleConfig,
  type LifecycleFrame,
} from '@strata/core';
import { eq } from 'drizzle-orm';
import { loadPeriods } from './features.js';
import { lifecycleRuns } from './schema/index.js';
import { getBankSettings } from './settings.js';
import { explainBusy } from './busy.js';
import type { StrataDb } from './types.js';

/** The frame of every customer over every month in the database, and who is who. */
export interface LoadedFrame {
  readonly frame: LifecycleFrame;
  /** Customer id of each frame index. */
  readonly customerIds: Int32Array;
  /** The sub-branch holding each customer. */
  readonly orgUnitIds: Int32Array;
}

/** Reads what the lifecycle rules need from the database into columns. */
export function loadLifecycleFrame(db: StrataDb): LoadedFrame {
  const periods = loadPeriods(db);
  const count = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  const frame = createLifecycleFrame(count, periods);
  const customerIds = new Int32Array(count);
  const orgUnitIds = new Int32Array(count);
  const indexOf = new Map<number, number>();
  const windowStart = periods.length > 0 ? periodStartDay(periods[0] as string) : 0;
  let i = 0;
  const rows = db.sqlite
    .prepare(
      'SELECT id, org_unit_id, linked_on, opened_on, closed_on, funded_on FROM customers ORDER BY id',
    )
    .raw();
  type CustomerRow = [number, number, string, string | null, string | null, string | null];
  for (const [
    id,
    unit,
    linked,
    opened,
    closed,
    funded,
  ] of rows.iterate() as Iterable<CustomerRow>) {
    customerIds[i] = id;
    orgUnitIds[i] = unit;
    indexOf.set(id, i);
    frame.linkedDay[i] = dayOf(linked);
    frame.openedDay[i] = opened ? dayOf(opened) : NEVER;
    frame.closedDay[i] = closed ? dayOf(closed) : NEVER;
    const fundedDay = funded ? dayOf(funded) : NEVER;
    if (fundedDay < windowStart) frame.fundedBeforeDay[i] = fundedDay;
    i++;
  }
  const t = new Map(periods.map((p, k) => [p, k]));
  const n = count;
  const metrics = db.sqlite
    .prepare(
      'SELECT customer_id, period, aum_avg, txn_in_amount - txn_out_amount, product_types, last_txn_on FROM monthly_metrics',
    )
    .raw();
  for (const [id, period, aum, flow, products, lastTxn] of metrics.iterate() as Iterable<
    [number, string, number, number, number, string | null]
  >) {
    const k = indexOf.get(id);
    const p = t.get(period);
    if (k === undefined || p === undefined) continue;
    const cell = p * n + k;
    frame.aum[cell] = aum;
    frame.netFlow[cell] = flow;
    frame.productTypes[cell] = products;
    frame.lastTxnDay[cell] = lastTxn ? dayOf(lastTxn) : NEVER;
  }
  return { frame, customerIds, orgUnitIds };
}

/** Writes the precomputed funnels and migration matrices of a run, per sub-branch. */
function storeAggregates(
  db: StrataDb,
  runId: number,
  frame: LifecycleFrame,
  stages: readonly Uint8Array[],
  orgUnitIds: Int32Array,
): void {
  const funnel = db.sqlite.prepare(
    'INSERT INTO lifecycle_funnel_agg (run_id, period, org_unit_id, stage, customers, aum) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const migration = db.sqlite.prepare(
    'INSERT INTO lifecycle_migration_agg (run_id, from_period, to_period, org_unit_id, from_stage, to_stage, customers) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const n = frame.size;
  frame.periods.forEach((period, t) => {
    const aum = frame.aum.subarray(t * n, (t + 1) * n);
    for (const [unit, rows] of lifecycleFunnelByGroup(stages[t] as Uint8Array, orgUnitIds, {
      aum,
    })) {
      for (const r of rows)
        if (r.count > 0) funnel.run(runId, period, unit, r.stage, r.count, r.aum);
    }
  });
  for (let a = 0; a < frame.periods.length; a++) {
    for (let b = a + 1; b < frame.periods.length; b++) {
      const byUnit = migrationMatrixByGroup(
        stages[a] as Uint8Array,
        stages[b] as Uint8Array,
        orgUnitIds,
      );
      for (const [unit, m] of byUnit) {
        m.stages.forEach((to, k) => {
          const arrivals = m.arrivals[k] ?? 0;
          if (arrivals > 0)
            migration.run(runId, frame.periods[a], frame.periods[b], unit, null, to, arrivals);
          m.stages.forEach((from, j) => {
            const count = m.counts[j]?.[k] ?? 0;
            if (count > 0)
              migration.run(runId, frame.periods[a], frame.periods[b], unit, from, to, count);
          });
        });
      }
    }
  }
}

/** Options for a lifecycle refresh. */
export interface RefreshOptions {
  readonly config?: LifecycleConfig;
  /** The clock, for the run's timestamps. @default () => new Date() */
  readonly now?: () => Date;
  readonly onProgress?: (step: 'load' | 'evaluate' | 'store', done: number, total: number) => void;
}

/** What a refresh did. */
export interface RefreshResult {
  readonly runId: number;
  readonly customers: number;
  readonly periods: readonly string[];
  readonly timings: Readonly<Record<'load' | 'evaluate' | 'store', number>>;
}

/**
 * Evaluates every customer's lifecycle stage in every month and stores it as a new run.
 * The stages are written in one transaction: a failure leaves no partial run visible and
 * earlier runs untouched (the run is recorded as failed, with the error).
 */
export function runLifecycleRefresh(db: StrataDb, options: RefreshOptions = {}): RefreshResult {
  const config = options.config ?? lifecycleConfigOf(getBankSettings(db));
  const now = options.now ?? (() => new Date());
  let run: { id: number };
  try {
    run = db.orm
      .insert(lifecycleRuns)
      .values({
        startedAt: now().toISOString(),
        status: 'running',
        config: JSON.stringify(config),
        periods: '[]',
      })
      .returning({ id: lifecycleRuns.id })
      .get();
  } catch (error) {
    throw explainBusy(error); // another writer holds the database: no run was recorded
  }
  try {
    let mark = performance.now();
    const lap = () => {
      const ms = Math.round(performance.now() - mark);
      mark = performance.now();
      return ms;
    };
    options.onProgress?.('load', 0, 1);
    const { frame, customerIds, orgUnitIds } = loadLifecycleFrame(db);
    const load = lap();
    options.onProgress?.('evaluate', 0, 1);
    const { stages, reasons } = evaluateLifecycle(frame, config);
    const evaluate = lap();
    const insert = db.sqlite.prepare(
      'INSERT INTO lifecycle_stages (run_id, period, customer_id, stage, reason) VALUES (?, ?, ?, ?, ?)',
    );
    const stageNames = Array.from({ length: 16 }, (_, k) => (k < 9 ? stageOf(k) : ''));
    const total = frame.size * frame.periods.length;
    db.sqlite.transaction(() => {
      let done = 0;
      frame.periods.forEach((period, t) => {
        const s = stages[t] as Uint8Array;
        const r = reasons[t] as Uint8Array;
        for (let i = 0; i < frame.size; i++) {
          const code = s[i] as number;
          if (code === NOT_LINKED) continue;
          insert.run(
            run.id,
            period,
            customerIds[i],
            stageNames[code],
            LIFECYCLE_REASONS[r[i] as number],
          );
        }
        done += frame.size;
        options.onProgress?.('store', done, total);
      });
      storeAggregates(db, run.id, frame, stages, orgUnitIds);
      db.orm
        .update(lifecycleRuns)
        .set({
          status: 'succeeded',
          finishedAt: now().toISOString(),
          periods: JSON.stringify(frame.periods),
          customers: frame.size,
          timings: JSON.stringify({ load, evaluate, store: Math.round(performance.now() - mark) }),
        })
        .where(eq(lifecycleRuns.id, run.id))
        .run();
    })();
    const store = lap();
    return {
      runId: run.id,
      customers: frame.size,
      periods: frame.periods,
      timings: { load, evaluate, store },
    };
  } catch (caught) {
    const error = explainBusy(caught);
    try {
      db.orm
        .update(lifecycleRuns)
        .set({
          status: 'failed',
          finishedAt: now().toISOString(),
          error: error instanceof Error ? error.message : String(error),
        })
        .where(eq(lifecycleRuns.id, run.id))
        .run();
    } catch {
      // still locked: the run stays 'running' and the next start marks it failed
    }
    throw error;
  }
}
