import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

/** The organisation tree: head office → branches (分行) → sub-branches (支行). */
export const orgUnits = sqliteTable(
  'org_units',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind', { enum: ['head_office', 'branch', 'sub_branch'] }).notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => orgUnits.id),
    /** Materialised path of ids, e.g. '/1/2/14/': a subtree is `path LIKE '/1/2/%'`. */
    path: text('path').notNull(),
  },
  (t) => [index('org_units_path').on(t.path), index('org_units_parent').on(t.parentId)],
);

/** Relationship managers (客户经理). */
export const relationshipManagers = sqliteTable('relationship_managers', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  orgUnitId: integer('org_unit_id')
    .notNull()
    .references(() => orgUnits.id),
  line: text('line', { enum: ['retail', 'corporate'] }).notNull(),
  importBatch: integer('import_batch'),
});

/** Key-value facts about this database (e.g. how the demo bank was seeded). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});
