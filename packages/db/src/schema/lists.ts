import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';
import { strategies } from './strategies.js';

/** One strategy's list (名单) from one run, at the version it ran with. Written whole or not at all. */
export const strategyLists = sqliteTable(
  'strategy_lists',
  {
    id: integer('id').primaryKey(),
    strategyId: integer('strategy_id')
      .notNull()
      .references(() => strategies.id),
    version: integer('version').notNull(),
    /** The month whose contact caps it counts against. */
    period: text('period').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    /** JSON: audience, listed, treatment, control, exclusions by reason. */
    summary: text('summary').notNull(),
    /** JSON, when a model chose within the audience: scorer, its version, how it selected. */
    model: text('model'),
  },
  (t) => [index('strategy_lists_strategy').on(t.strategyId, t.period)],
);

/** The customers on a list: treatment (to contact) or control (held back), and the owning RM. */
export const listEntries = sqliteTable(
  'list_entries',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => strategyLists.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    arm: text('arm', { enum: ['treatment', 'control'] }).notNull(),
    channel: text('channel').notNull(),
    rmId: integer('rm_id'),
    /** With a model: 'model' (模型组) or 'rule' (非模型组); null without one. */
    selection: text('selection', { enum: ['model', 'rule'] }),
    /** The model's score of the customer when the list was made. */
    score: real('score'),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.customerId] }),
    index('list_entries_customer').on(t.customerId),
  ],
);
