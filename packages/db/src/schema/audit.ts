import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained — each row's
 * hash covers its content and the previous row's hash, so an edit made behind SQLite's back
 * (with the triggers dropped) is found by `verifyAuditLog`.
 */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey(),
  at: text('at').notNull(),
  /** Who: a user or token name, or 'system'. */
  actor: text('actor').notNull(),
  /** What kind of action, e.g. 'login', 'unmask', 'export', 'segment.save', 'import'. */
  action: text('action').notNull(),
  /** What it was done to, e.g. 'customer:42' or 'segment:seniors'. */
  target: text('target'),
  /** JSON: the details (a reason for an unmasking, row counts of an import…). */
  detail: text('detail').notNull().default('{}'),
  /** From where: an IP address, 'cli'. */
  origin: text('origin'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
