import { blob, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';

/**
 * One insight refresh (tiers, segments, clusters, RFM, stages) for one month. Runs are never
 * overwritten; readers use the latest succeeded run of a month.
 */
export const insightRuns = sqliteTable(
  'insight_runs',
  {
    id: integer('id').primaryKey(),
    period: text('period').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    /** JSON: the InsightConfig used. */
    config: text('config').notNull(),
    /** JSON: the InsightModel (cut points, thresholds, cluster centres) — what profiles explain with. */
    model: text('model'),
    /** JSON: per-segment counts, overlap matrix, cluster profiles. */
    summary: text('summary'),
    customers: integer('customers').notNull().default(0),
    /** JSON: milliseconds per step. */
    timings: text('timings'),
    error: text('error'),
  },
  (t) => [index('insight_runs_period').on(t.period, t.status)],
);

/** Every customer's tags in a run (codes; NULL where a tag does not apply). */
export const insightCustomers = sqliteTable(
  'insight_customers',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => insightRuns.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    stage: text('stage').notNull(),
    stageReason: text('stage_reason').notNull(),
    previousStage: text('previous_stage'),
    valueTier: text('value_tier'),
    contributionTier: text('contribution_tier'),
    riskTier: text('risk_tier'),
    enterpriseSize: text('enterprise_size'),
    rfmR: integer('rfm_r').notNull(),
    rfmF: integer('rfm_f').notNull(),
    rfmM: integer('rfm_m').notNull(),
    pareto: text('pareto'),
    cluster: integer('cluster'),
    primarySegment: text('primary_segment'),
    /** The segments the customer is in, their keys separated by spaces (null: none). */
    segments: text('segments'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.customerId] })],
);

/**
 * Segment memberships of a run: per segment, the member customer ids (Int32, ascending) in one
 * blob, so a million customers' memberships are a few writes, not millions of rows.
 */
export const insightSegmentMembers = sqliteTable(
  'insight_segment_members',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => insightRuns.id),
    segmentKey: text('segment_key').notNull(),
    count: integer('count').notNull(),
    ids: blob('ids', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.segmentKey] })],
);

/**
 * Customers and value per (dimension value × lifecycle stage × sub-branch) of a run: the rows of
 * the strategy map, precomputed. Dimensions: segment, primary, aum_tier, corporate_tier,
 * risk_tier, enterprise_size, cluster, pareto.
 */
export const insightAgg = sqliteTable(
  'insight_agg',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => insightRuns.id),
    dimension: text('dimension').notNull(),
    value: text('value').notNull(),
    orgUnitId: integer('org_unit_id').notNull(),
    stage: text('stage').notNull(),
    customers: integer('customers').notNull(),
    aum: real('aum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.dimension, t.value, t.orgUnitId, t.stage] })],
);

/**
 * The ready-made customer profiles of one run (`makeReadyProfiles`): each customer's profile
 * body (tags with their why, headline figures, history), deflated with the set's dictionary.
 * One set at a time, keyed by customer id alone (a lookup is one B-tree descent); made again
 * after each refresh of a large bank.
 */
export const insightProfiles = sqliteTable('insight_profiles', {
  customerId: integer('customer_id').primaryKey(),
  body: blob('body', { mode: 'buffer' }).notNull(),
});

/**
 * The header of the ready-made profiles (at most one row): the run they explain, the data
 * version they were made at (they are served only while it is current), the deflate
 * dictionary, and what making them cost.
 */
export const insightProfileSets = sqliteTable('insight_profile_sets', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => insightRuns.id),
  dataVersion: integer('data_version').notNull(),
  dictionary: blob('dictionary', { mode: 'buffer' }).notNull(),
  customers: integer('customers').notNull(),
  bytes: integer('bytes').notNull(),
  ms: integer('ms').notNull(),
  madeAt: text('made_at').notNull(),
  /** The making's own name, written into each of its pages: a page of another making is not read. */
  token: text('token').notNull(),
});
