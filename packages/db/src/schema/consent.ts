import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers.js';

/**
 * Marketing consent and opt-out per customer and channel. No row means "unknown": not
 * contactable. `source` says where the record came from (a signed form, the app, an import).
 */
export const customerConsents = sqliteTable(
  'customer_consents',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel').notNull(),
    consent: text('consent', { enum: ['granted', 'withdrawn', 'unknown'] }).notNull(),
    optedOut: integer('opted_out', { mode: 'boolean' }).notNull().default(false),
    source: text('source').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** The import run that last wrote this record (null: recorded through the API). */
    importBatch: integer('import_batch'),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.channel] }),
    // covering: list generation reads a channel's contactable customers from the index alone
    index('customer_consents_contactable').on(t.channel, t.consent, t.optedOut, t.customerId),
  ],
);
