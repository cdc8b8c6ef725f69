import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';

/**
 * One import of one file: what was asked, how far it got and what it found. A failed import
 * leaves its row here (status 'failed', with the report) and nothing in the data tables.
 */
export const importRuns = sqliteTable('import_runs', {
  id: integer('id').primaryKey(),
  kind: text('kind', {
    enum: [
      'relationship_managers',
      'customers',
      'monthly_metrics',
      'events',
      'outcomes',
      'consents',
    ],
  }).notNull(),
  source: text('source'),
  fileName: text('file_name').notNull(),
  actor: text('actor').notNull(),
  status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  /** JSON: encoding, delimiter, quote, date formats and mapping as used. */
  options: text('options'),
  /** JSON: the data-quality report. */
  report: text('report'),
  rowsRead: integer('rows_read').notNull().default(0),
  rowsWritten: integer('rows_written').notNull().default(0),
  rowsRejected: integer('rows_rejected').notNull().default(0),
  /** Where the row-level error file (CSV: line, field, value, reason) was written, if any. */
  errorFile: text('error_file'),
  error: text('error'),
});

/** A column mapping saved for a source system and a kind of file, reused by later imports. */
export const importMappings = sqliteTable(
  'import_mappings',
  {
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    /** JSON: target field → source column header. */
    mapping: text('mapping').notNull(),
    /** JSON: delimiter, quote, encoding, date formats. */
    options: text('options').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.kind] })],
);

/**
 * Outcomes of campaigns run outside Strata (a CRM, a call-out system), imported by file:
 * contacted, responded, converted, amount, feedback.
 */
export const campaignOutcomes = sqliteTable(
  'campaign_outcomes',
  {
    id: integer('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    campaignCode: text('campaign_code').notNull(),
    channel: text('channel').notNull(),
    contactedOn: text('contacted_on').notNull(),
    responded: integer('responded', { mode: 'boolean' }).notNull().default(false),
    converted: integer('converted', { mode: 'boolean' }).notNull().default(false),
    /** A refusal: the customer is not contacted again during the cooling-off. */
    declined: integer('declined', { mode: 'boolean' }).notNull().default(false),
    amount: real('amount'),
    feedback: text('feedback'),
    importBatch: integer('import_batch'),
  },
  (t) => [
    index('campaign_outcomes_customer').on(t.customerId),
    index('campaign_outcomes_campaign').on(t.campaignCode, t.contactedOn),
  ],
);
