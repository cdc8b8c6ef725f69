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
        .all(...params) as (number | null)[][];
      for (const row of rows)
        for (let k = 0; k < row.length; k++) if (row[k] === null) row[k] = Number.NaN;
      return { rows: rows as number[][], bytes: null };
    },
    async close() {},
  };
}
