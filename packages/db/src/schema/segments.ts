import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Saved rule segments (客群). The rule is the JSON condition tree of `@strata/core`. */
export const segments = sqliteTable('segments', {
  id: integer('id').primaryKey(),
  /** A stable identifier, e.g. 'affluent_seniors'. */
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  description: text('description').notNull().default(''),
  /** JSON: the condition tree. */
  rule: text('rule').notNull(),
  /** Lower numbers win when a customer is in several segments. */
  priority: integer('priority').notNull().default(100),
  /** An exclusive segment's members belong to no lower-priority segment. */
  exclusive: integer('exclusive', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});
