import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';
import { strategyLists } from './lists.js';

/**
 * What happened to a customer on a list: contacted, responded, declined (a refusal, which starts
 * the cooling-off), converted and the amount, feedback. Control customers get outcomes too (from
 * data, not contact), so review can compare the arms.
 */
export const listOutcomes = sqliteTable(
  'list_outcomes',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => strategyLists.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    contacted: integer('contacted', { mode: 'boolean' }).notNull().default(false),
    responded: integer('responded', { mode: 'boolean' }).notNull().default(false),
    declined: integer('declined', { mode: 'boolean' }).notNull().default(false),
    converted: integer('converted', { mode: 'boolean' }).notNull().default(false),
    amount: real('amount'),
    feedback: text('feedback'),
    /** The day of the outcome (declines count for cooling-off from here). */
    occurredOn: text('occurred_on').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.customerId] })],
);
