import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A strategy: its key, status and current version. Its definitions are in strategy_versions. */
export const strategies = sqliteTable('strategies', {
  id: integer('id').primaryKey(),
  key: text('key').notNull().unique(),
  status: text('status', { enum: ['draft', 'active', 'paused', 'retired'] }).notNull(),
  currentVersion: integer('current_version').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Every version of every strategy's definition (JSON), never changed once written. */
export const strategyVersions = sqliteTable(
  'strategy_versions',
  {
    strategyId: integer('strategy_id')
      .notNull()
      .references(() => strategies.id),
    version: integer('version').notNull(),
    /** The definition (`strategyDefinitionSchema` in @strata/core), as JSON. */
    definition: text('definition').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.strategyId, t.version] })],
);
