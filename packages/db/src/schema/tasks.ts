import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';
import { strategyLists } from './lists.js';
import { strategies } from './strategies.js';

/** A task for a relationship manager, raised by a moment-of-truth event (MOT) in real time. */
export const rmTasks = sqliteTable(
  'rm_tasks',
  {
    id: integer('id').primaryKey(),
    strategyId: integer('strategy_id')
      .notNull()
      .references(() => strategies.id),
    version: integer('version').notNull(),
    listId: integer('list_id')
      .notNull()
      .references(() => strategyLists.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    rmId: integer('rm_id'),
    channel: text('channel').notNull(),
    /** The event's external id. */
    eventId: text('event_id').notNull(),
    /** When the contact may happen (quiet hours respected). */
    dueAt: text('due_at').notNull(),
    createdAt: text('created_at').notNull(),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
  },
  (t) => [index('rm_tasks_rm').on(t.rmId, t.status), index('rm_tasks_customer').on(t.customerId)],
);
