import { DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '@strata/core';
import type { StrataDb } from '@strata/db';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from './pushdown.js';
import {
  exportTableCsv,
  WAREHOUSE_TABLES,
  type ColumnKind,
  type WarehouseColumn,
} from './tables.js';

const TYPES: Record<ColumnKind, string> = {
  int: 'BIGINT',
  double: 'DOUBLE',
  text: 'VARCHAR',
  date: 'DATE',
  bool: 'BOOLEAN',
};

/**
 * DuckDB, the embedded column store: a file (or `:memory:`) holding `customers`,
 * `monthly_metrics` and `events` as Strata does.
 */
export async function openDuckDb(
  path = ':memory:',
  options: {
    readonly threads?: number;
    /**
     * DuckDB's memory limit, e.g. `'1GB'` (its default is 80 % of the machine's memory); past it
     * DuckDB spills to its temporary directory.
     */
    readonly memoryLimit?: string;
  } = {},
): Promise<Warehouse & { loadFrom(db: StrataDb): Promise<Record<string, number>> }> {
  if (
    options.memoryLimit !== undefined &&
    !/^\d+(\.\d+)?\s*(KB|MB|GB|TB)$/i.test(options.memoryLimit)
  )
    throw new RangeError(
      `memoryLimit ${options.memoryLimit}: expected a size such as 1GB or 512MB`,
    );
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  if (options.threads) await connection.run(`SET threads = ${Math.floor(options.threads)}`);
  if (options.memoryLimit) await connection.run(`SET memory_limit = '${options.memoryLimit}'`);
  return {
    name: 'duckdb',
    dialect: duckdb,
    async query(sql, params) {
      const reader = await connection.runAndReadAll(sql, params as never);
      const rows = reader
        .getRows()
        .map((row) => row.map((v) => (v === null ? Number.NaN : Number(v))));
      return { rows, bytes: null };
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
    /** Copies Strata's tables in (replacing them), through CSV files and DuckDB's COPY. */
    async loadFrom(db) {
      const dir = mkdtempSync(join(tmpdir(), 'strata-duckdb-'));
      const counts: Record<string, number> = {};
      try {
        for (const table of WAREHOUSE_TABLES) {
          const { file, rows, columns } = exportTableCsv(db, table, dir);
          await connection.run(`DROP TABLE IF EXISTS ${table}`);
          await connection.run(`CREATE TABLE ${table} (${columnsDdl(columns)})`);
          await connection.run(
            `COPY ${table} FROM '${file}' (FORMAT csv, HEADER false, NULLSTR '\\N', QUOTE '"', ESCAPE '"')`,
          );
          counts[table] = rows;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return counts;
    },
  };
}

function columnsDdl(columns: readonly WarehouseColumn[]): string {
  return columns
    .map((c) => `${c.name} ${TYPES[c.kind]}${c.nullable ? '' : ' NOT NULL'}`)
    .join(', ');
}
