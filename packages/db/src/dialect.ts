import { postgres, sqlite, type SqlDialect } from '@strata/core';
import type { StrataDb } from './types.js';

/**
 * Strata's own tables on PostgreSQL keep SQLite's storage forms — dates as ISO text, flags as
 * 1/0 integers — and statements are written with `?` (the connection numbers them), so rule
 * SQL for them is PostgreSQL's functions over those forms.
 */
const strataOnPostgres: SqlDialect = {
  ...postgres,
  placeholder: () => '?',
  bool: sqlite.bool,
  date: sqlite.date,
  daysBetween: (later, earlier) => `(CAST(${later} AS DATE) - CAST(${earlier} AS DATE))`,
  ageYears: (at, birth) => postgres.ageYears(`CAST(${at} AS DATE)`, `CAST(${birth} AS DATE)`),
};

/** The dialect segment rules are compiled in to run on `db`'s own tables. */
export function ruleDialect(db: StrataDb): SqlDialect {
  return db.dialect === 'postgres' ? strataOnPostgres : sqlite;
}
