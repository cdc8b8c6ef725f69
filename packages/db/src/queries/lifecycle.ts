import { and, eq, sql } from 'drizzle-orm';
import { lifecycleFunnelAgg, lifecycleMigrationAgg, orgUnits } from '../schema/index.js';
import { deepFreeze } from '../freeze.js';
import type { StrataDb } from '../types.js';

/** The latest successful lifecycle run. */
export interface LifecycleRunRow {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly periods: readonly string[];
  readonly customers: number;
}

/** Succeeded lifecycle runs, per database: they never change (the last 8 kept). */
const runs = new WeakMap<StrataDb, Map<number, LifecycleRunRow>>();

/** The latest run whose status is 'succeeded', or undefined if none has finished. */
export function getLatestLifecycleRun(db: StrataDb): LifecycleRunRow | undefined {
  const id = db.sqlite
    .prepare("SELECT max(id) FROM lifecycle_runs WHERE status = 'succeeded'")
    .pluck()
    .get() as number | null;
  if (id === null) return undefined;
  const kept = runs.get(db) ?? new Map<number, LifecycleRunRow>();
  runs.set(db, kept);
  let run = kept.get(id);
  if (!run) {
    const row = db.sqlite
      .prepare(
        'SELECT id, started_at AS startedAt, finished_at AS finishedAt, periods, customers FROM lifecycle_runs WHERE id = ?',
      )
      .get(id) as Omit<LifecycleRunRow, 'periods'> & { periods: string };
    run = deepFreeze({ ...row, periods: JSON.parse(row.periods) as string[] });
    kept.set(id, run);
    if (kept.size > 8) kept.delete(kept.keys().next().value as number);
  }
  return run;
}

/** Parameters of the lifecycle queries. */
export interface LifecycleFilter {
  readonly runId: number;
  /** Only customers held by this org unit's subtree (a branch and its sub-branches). */
  readonly orgUnitId?: number | undefined;
}

function inSubtree(orgUnitId: number | undefined) {
  return orgUnitId === undefined
    ? undefined
    : sql`${orgUnits.path} LIKE (SELECT path FROM org_units WHERE id = ${orgUnitId}) || '%'`;
}

/** Customers and AUM per stage in one period. */
export interface FunnelCountRow {
  readonly stage: string;
  readonly count: number;
  readonly aum: number;
}

/**
 * Customers per lifecycle stage in `period`, with their AUM, for a subtree or the whole bank.
 * Reads the run's precomputed per-sub-branch aggregates.
 */
export function getLifecycleFunnel(
  db: StrataDb,
  filter: LifecycleFilter & { readonly period: string },
): FunnelCountRow[] {
  // a succeeded run never changes: its funnels are kept (per database, the last 256 asked)
  const kept = funnels.get(db) ?? new Map<string, FunnelCountRow[]>();
  funnels.set(db, kept);
  const key = `${filter.runId}|${filter.period}|${filter.orgUnitId ?? ''}`;
  const hit = kept.get(key);
  if (hit) return hit;
  const rows = deepFreeze(countFunnel(db, filter));
  kept.set(key, rows);
  if (kept.size > 256) kept.delete(kept.keys().next().value as string);
  return rows;
}

const funnels = new WeakMap<StrataDb, Map<string, FunnelCountRow[]>>();

function countFunnel(
  db: StrataDb,
  filter: LifecycleFilter & { readonly period: string },
): FunnelCountRow[] {
  return db.orm
    .select({
      stage: lifecycleFunnelAgg.stage,
      count: sql<number>`sum(${lifecycleFunnelAgg.customers})`,
      aum: sql<number>`sum(${lifecycleFunnelAgg.aum})`,
    })
    .from(lifecycleFunnelAgg)
    .innerJoin(orgUnits, eq(orgUnits.id, lifecycleFunnelAgg.orgUnitId))
    .where(
      and(
        eq(lifecycleFunnelAgg.runId, filter.runId),
        eq(lifecycleFunnelAgg.period, filter.period),
        inSubtree(filter.orgUnitId),
      ),
    )
    .groupBy(lifecycleFunnelAgg.stage)
    .all();
}

/** Customers who were in stage `from` (null: not yet a customer) and are in stage `to`. */
export interface MigrationCountRow {
  readonly from: string | null;
  readonly to: string;
  readonly count: number;
}

/**
 * Who moved from which stage to which between two periods (`from` before `to`), for a
 * subtree or the whole bank. Reads the run's precomputed aggregates.
 */
export function getLifecycleMigration(
  db: StrataDb,
  filter: LifecycleFilter & { readonly from: string; readonly to: string },
): MigrationCountRow[] {
  return db.orm
    .select({
      from: lifecycleMigrationAgg.fromStage,
      to: lifecycleMigrationAgg.toStage,
      count: sql<number>`sum(${lifecycleMigrationAgg.customers})`,
    })
    .from(lifecycleMigrationAgg)
    .innerJoin(orgUnits, eq(orgUnits.id, lifecycleMigrationAgg.orgUnitId))
    .where(
      and(
        eq(lifecycleMigrationAgg.runId, filter.runId),
        eq(lifecycleMigrationAgg.fromPeriod, filter.from),
        eq(lifecycleMigrationAgg.toPeriod, filter.to),
        inSubtree(filter.orgUnitId),
      ),
    )
    .groupBy(lifecycleMigrationAgg.fromStage, lifecycleMigrationAgg.toStage)
    .all();
}
