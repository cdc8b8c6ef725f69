import { sqlite } from '@strata/core';
import type { StrataDb } from '@strata/db';
import type { Warehouse } from './pushdown.js';

/** Strata's own SQLite database as a pushdown target (the same SQL, run by SQLite). */
export function sqliteWarehouse(db: StrataDb): Warehouse {
  return {
    name: 'sqlite',
    dialect: sqlite,
    async query(sql, params) {
      const rows = db.sqlite
        .prepare(sql)
        .raw()
        .all(...params) as number[][];
      return { rows, bytes: null };
    },
    async close() {},
  };
}
