import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The bank's settings (lifecycle thresholds, value ladders, contact policy): one JSON value per
 * part, validated by core's `bankSettingsSchema`; a part not stored is the default.
 */
export const bankSettings = sqliteTable('bank_settings', {
  key: text('key', {
    enum: ['lifecycle', 'retailLadder', 'corporateLadder', 'contactPolicy'],
  }).primaryKey(),
  value: text('value').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});
