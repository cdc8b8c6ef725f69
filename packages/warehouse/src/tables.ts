import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BOOLEAN_ATTRIBUTES } from '@strata/core';
import type { StrataDb } from '@strata/db';

/** The tables the pushdown reads, as a warehouse holds them. */
export const WAREHOUSE_TABLES = ['customers', 'monthly_metrics', 'events'] as const;
export type WarehouseTable = (typeof WAREHOUSE_TABLES)[number];

/** A column's kind, which each warehouse maps to a type of its own. */
export type ColumnKind = 'int' | 'double' | 'text' | 'date' | 'bool';

/** One column of a warehouse table. */
export interface WarehouseColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

/**
 * Personal data never leaves Strata for a warehouse: the pushdown reads none of it
 * (DOMAIN.md's privacy rules: names, ID numbers, phones).
 */
const PERSONAL = new Set(['name', 'id_number', 'phone']);
const BOOLEANS = new Set<string>(BOOLEAN_ATTRIBUTES);
const DATES = /(_on|_date)$/;

/** The columns of a Strata table as a warehouse holds them (personal data left out). */
export function warehouseColumns(db: StrataDb, table: WarehouseTable): WarehouseColumn[] {
  const info = db.sqlite.pragma(`table_info(${table})`) as {
    name: string;
    type: string;
    notnull: number;
  }[];
  return info
    .filter((c) => !PERSONAL.has(c.name) && c.name !== 'import_batch')
    .map((c) => ({
      name: c.name,
      nullable: c.notnull === 0,
      kind: BOOLEANS.has(c.name)
        ? 'bool'
        : DATES.test(c.name)
          ? 'date'
          : c.type === 'INTEGER'
            ? 'int'
            : c.type === 'REAL'
              ? 'double'
              : 'text',
    }));
}

/** A CSV field: NULL as `\N` (unquoted), text always quoted with quotes doubled. */
function field(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '\\N';
  if (kind === 'text') return `"${String(value).replace(/"/g, '""')}"`;
  return String(value);
}

/**
 * Writes a Strata table to a CSV file without a header (NULL as `\N`, text quoted), streaming
 * row by row, for a warehouse's bulk loader. Returns the file and its row count.
 */
export function exportTableCsv(
  db: StrataDb,
  table: WarehouseTable,
  dir: string,
): { file: string; rows: number; columns: WarehouseColumn[] } {
  const columns = warehouseColumns(db, table);
  const file = join(dir, `${table}.csv`);
  const fd = openSync(file, 'w');
  let buffer = '';
  let rows = 0;
  try {
    const select = db.sqlite
      .prepare(`SELECT ${columns.map((c) => c.name).join(', ')} FROM ${table}`)
      .raw();
    for (const row of select.iterate() as Iterable<unknown[]>) {
      buffer += `${row.map((v, k) => field(v, (columns[k] as WarehouseColumn).kind)).join(',')}\n`;
      rows++;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  return { file, rows, columns };
}
