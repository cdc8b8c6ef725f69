import type Database from 'better-sqlite3';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

/**
 * A prepared INSERT for the columns of a drizzle table, taking objects keyed like the
 * table (camelCase). Bulk loads go through better-sqlite3 directly: an order of magnitude
 * faster than building a query per row. A row lacking a column is a schema drift and throws.
 */
export function prepareInsert(
  sqlite: Database.Database,
  table: Table,
  omit: readonly string[] = [],
): (row: object) => void {
  // `importBatch` is the import run that wrote a row: not the seed's to fill.
  const columns = Object.entries(getTableColumns(table)).filter(
    ([key]) => !omit.includes(key) && key !== 'importBatch',
  );
  const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
  const slots = columns.map(() => '?').join(', ');
  const statement = sqlite.prepare(
    `INSERT INTO "${getTableName(table)}" (${names}) VALUES (${slots})`,
  );
  const keys = columns.map(([key]) => key);
  return (row) => {
    const values = keys.map((key) => {
      const v = (row as Record<string, unknown>)[key];
      if (v === undefined) throw new Error(`${getTableName(table)} row lacks column ${key}`);
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    statement.run(values);
  };
}
