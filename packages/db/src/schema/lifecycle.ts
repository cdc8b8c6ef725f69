import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';

/**
 * One lifecycle refresh: its configuration, timings and outcome. Runs are never overwritten;
 * readers use the latest run whose status is 'succeeded'.
 */
export const lifecycleRuns = sqliteTable('lifecycle_runs', {
  id: integer('id').primaryKey(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
  /** JSON: the LifecycleConfig used. */
  config: text('config').notNull(),
  /** JSON array of the periods evaluated. */
  periods: text('periods').notNull(),
  customers: integer('customers').notNull().default(0),
  /** JSON: milliseconds per step (load, evaluate, store). */
  timings: text('timings'),
  error: text('error'),
});

/** Every customer's stage in every period of a run, with the rule that placed them. */
export const lifecycleStages = sqliteTable(
  'lifecycle_stages',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => lifecycleRuns.id),
    period: text('period').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    stage: text('stage').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.period, t.customerId] }),
    index('lifecycle_stages_stage').on(t.runId, t.period, t.stage),
  ],
);

/** Customers and AUM per (period, sub-branch, stage) of a run: the funnel, precomputed. */
export const lifecycleFunnelAgg = sqliteTable(
  'lifecycle_funnel_agg',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => lifecycleRuns.id),
    period: text('period').notNull(),
    orgUnitId: integer('org_unit_id').notNull(),
    stage: text('stage').notNull(),
    customers: integer('customers').notNull(),
    aum: real('aum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.period, t.orgUnitId, t.stage] })],
);

/**
 * Customers per (period pair, sub-branch, stage before, stage after) of a run: every
 * migration matrix, precomputed. `from_stage` is null for customers not yet known before.
 */
export const lifecycleMigrationAgg = sqliteTable(
  'lifecycle_migration_agg',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => lifecycleRuns.id),
    fromPeriod: text('from_period').notNull(),
    toPeriod: text('to_period').notNull(),
    orgUnitId: integer('org_unit_id').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [index('lifecycle_migration_agg_key').on(t.runId, t.fromPeriod, t.toPeriod)],
);
