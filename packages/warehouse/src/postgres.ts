import { postgres } from '@strata/core';
import type { StrataDb } from '@strata/db';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Warehouse } from './pushdown.js';
import { exportTableCsv, WAREHOUSE_TABLES, type ColumnKind } from './tables.js';

const TYPES: Record<ColumnKind, string> = {
  int: 'BIGINT',
  double: 'DOUBLE PRECISION',
  text: 'TEXT',
  date: 'DATE',
  bool: 'BOOLEAN',
};

/** PostgreSQL (a connection string, e.g. `postgres://strata@127.0.0.1:5432/bank`). */
export async function openPostgres(
  connectionString: string,
): Promise<Warehouse & { loadFrom(db: StrataDb): Promise<Record<string, number>> }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  // Numbers come back as JavaScript numbers (BIGINT as text otherwise).
  const number = (v: string) => Number(v);
  pg.types.setTypeParser(pg.types.builtins.INT8, number);
  return {
    name: 'postgres',
    dialect: postgres,
    async query(sql, params) {
      const result = await client.query({ text: sql, values: [...params], rowMode: 'array' });
      return {
        rows: result.rows.map((row: unknown[]) =>
          row.map((v) => (v === null ? Number.NaN : Number(v))),
        ),
        bytes: null,
      };
    },
    async close() {
      await client.end();
    },
    /** Copies Strata's tables in (replacing them), in one transaction, through COPY FROM STDIN. */
    async loadFrom(db) {
      const dir = mkdtempSync(join(tmpdir(), 'strata-pg-'));
      const counts: Record<string, number> = {};
      try {
        await client.query('BEGIN');
        for (const table of WAREHOUSE_TABLES) {
          const { file, rows, columns } = exportTableCsv(db, table, dir);
          await client.query(`DROP TABLE IF EXISTS ${table}`);
          await client.query(
            `CREATE TABLE ${table} (${columns
              .map((c) => `${c.name} ${TYPES[c.kind]}${c.nullable ? '' : ' NOT NULL'}`)
              .join(', ')})`,
          );
          const copy = client.query(
            copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, NULL '\\N')`),
          );
          await pipeline(createReadStream(file), copy);
          counts[table] = rows;
        }
        await client.query('CREATE INDEX ON monthly_metrics (period, customer_id)');
        await client.query('CREATE INDEX ON events (customer_id)');
        await client.query('ALTER TABLE customers ADD PRIMARY KEY (id)');
        await client.query('COMMIT');
        await client.query('ANALYZE');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return counts;
    },
  };
}
