import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

/**
 * Strata's PostgreSQL schema, derived from its SQLite migrations so the two never drift: the
 * migrations are applied to a throwaway in-memory SQLite database and its tables, columns,
 * keys, indexes and triggers are written out as PostgreSQL DDL. `integer` columns become
 * `bigint` (SQLite's integers are 64-bit), `real` `double precision`, `blob` `bytea`; an integer
 * primary key is given from a sequence by a trigger when an insert leaves it null, as SQLite's
 * rowid is (and an explicit one moves the sequence past it); the id is noted in the session
 * (`strata.last_id`) for `lastInsertRowid`.
 */
export interface PostgresSchema {
  /** DDL statements, in order. */
  readonly statements: readonly string[];
  /** The same, as named parts, for upgrading an existing database (`upgradePlan`). */
  readonly parts: readonly SchemaPart[];
  /** A hash of the statements: the schema's version. */
  readonly version: string;
  /** Each table's columns, as created. */
  readonly tables: ReadonlyMap<string, readonly string[]>;
  /** Each index's order as SQLite reads it: its columns, then the row id (for INDEXED BY). */
  readonly indexOrders: ReadonlyMap<string, string>;
}

/** A table (with its key's sequence and trigger), a column, an index, a foreign key or a trigger. */
export interface SchemaPart {
  readonly kind: 'table' | 'column' | 'index' | 'foreign key' | 'trigger';
  readonly table: string;
  /** The column, index, constraint or trigger name; the table's for a table. */
  readonly name: string;
  /** How to create it in a database that lacks it (a column: ALTER TABLE … ADD COLUMN). */
  readonly create: readonly string[];
  /** A column's PostgreSQL type, as information_schema names it. */
  readonly type?: string;
}

const INFO_TYPES: Record<string, string> = {
  bigint: 'bigint',
  'double precision': 'double precision',
  text: 'text',
  bytea: 'bytea',
  numeric: 'numeric',
};

const ISO_NOW = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const TYPES: Record<string, string> = {
  INTEGER: 'bigint',
  REAL: 'double precision',
  TEXT: 'text',
  BLOB: 'bytea',
  NUMERIC: 'numeric',
  '': 'text',
};

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly dflt_value: string | null;
  readonly pk: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function defaultOf(value: string): string {
  if (/^false$/i.test(value)) return '0';
  if (/^true$/i.test(value)) return '1';
  if (/strftime\('%Y-%m-%dT%H:%M:%fZ',\s*'now'\)/i.test(value)) return ISO_NOW;
  if (/^(-?\d+(\.\d+)?|'([^']|'')*'|NULL)$/i.test(value)) return value;
  throw new Error(`The column default ${value} has no PostgreSQL form; add one in pg/schema.ts.`);
}

/** Builds the schema from the migrations in `migrationsFolder`. */
export function postgresSchema(migrationsFolder: string): PostgresSchema {
  const lite = new Database(':memory:');
  try {
    migrate(drizzle(lite), { migrationsFolder });
    const parts: SchemaPart[] = [];
    const later: SchemaPart[] = [];
    const tables = new Map<string, string[]>();
    const indexOrders = new Map<string, string>();
    const names = lite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_drizzle%' ESCAPE '\\' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const table of names) {
      const columns = lite.prepare(`PRAGMA table_info(${q(table)})`).all() as ColumnInfo[];
      const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const rowid =
        keys.length === 1 && keys[0]?.type.toUpperCase() === 'INTEGER'
          ? (keys[0] as ColumnInfo)
          : null;
      const columnParts = columns.map((c): SchemaPart => {
        const type = TYPES[c.type.toUpperCase()];
        if (type === undefined)
          throw new Error(`${table}.${c.name}: the type ${c.type} has no PostgreSQL form.`);
        const line = [
          q(c.name),
          type,
          c.dflt_value === null ? '' : `DEFAULT ${defaultOf(c.dflt_value)}`,
          c.notnull || c.pk ? 'NOT NULL' : '',
        ]
          .filter(Boolean)
          .join(' ');
        return {
          kind: 'column',
          table,
          name: c.name,
          create: [`ALTER TABLE ${q(table)} ADD COLUMN ${line}`],
          type: INFO_TYPES[type] ?? type,
        };
      });
      const lines = columnParts.map((c) => (c.create[0] as string).replace(/^.* ADD COLUMN /, ''));
      if (keys.length > 0) lines.push(`PRIMARY KEY (${keys.map((k) => q(k.name)).join(', ')})`);
      const tableStatements = [`CREATE TABLE ${q(table)} (\n  ${lines.join(',\n  ')}\n)`];
      tables.set(
        table,
        columns.map((c) => c.name),
      );
      if (rowid) {
        const seq = `${table}_${rowid.name}_seq`;
        const fn = `${table}_row_id`;
        tableStatements.push(
          `CREATE SEQUENCE ${q(seq)} OWNED BY ${q(table)}.${q(rowid.name)}`,
          `CREATE FUNCTION ${q(fn)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.${q(rowid.name)} IS NULL THEN
    NEW.${q(rowid.name)} := nextval('${q(seq)}');
  ELSIF NEW.${q(rowid.name)} >= (SELECT last_value FROM ${q(seq)}) THEN
    PERFORM setval('${q(seq)}', NEW.${q(rowid.name)});
  END IF;
  PERFORM set_config('strata.last_id', NEW.${q(rowid.name)}::text, false);
  RETURN NEW;
END $$`,
          `CREATE TRIGGER ${q(fn)} BEFORE INSERT ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${q(fn)}()`,
        );
      }
      parts.push({ kind: 'table', table, name: table, create: tableStatements }, ...columnParts);
      const foreign = lite.prepare(`PRAGMA foreign_key_list(${q(table)})`).all() as {
        id: number;
        table: string;
        from: string;
        to: string;
        on_delete: string;
      }[];
      const byId = new Map<number, typeof foreign>();
      for (const f of foreign) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
      for (const [id, parts] of byId) {
        const first = parts[0] as (typeof parts)[number];
        const onDelete = first.on_delete.toUpperCase();
        later.push({
          kind: 'foreign key',
          table,
          name: `${table}_fk_${id}`,
          create: [
            `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(`${table}_fk_${id}`)} FOREIGN KEY (${parts.map((p) => q(p.from)).join(', ')}) REFERENCES ${q(first.table)} (${parts.map((p) => q(p.to)).join(', ')})${onDelete === 'NO ACTION' ? '' : ` ON DELETE ${onDelete}`}`,
          ],
        });
      }
      const indexes = lite.prepare(`PRAGMA index_list(${q(table)})`).all() as {
        name: string;
        unique: number;
        origin: string;
      }[];
      for (const index of indexes) {
        const info = lite.prepare(`PRAGMA index_info(${q(index.name)})`).all() as {
          name: string;
        }[];
        indexOrders.set(
          index.name,
          [...info.map((c) => q(c.name)), ...(rowid ? [q(rowid.name)] : [])].join(', '),
        );
        if (index.origin === 'pk') continue;
        const sql = lite
          .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
          .pluck()
          .get(index.name) as string | null;
        const create = sql
          ? sql.replace(/`([^`]*)`/g, (_, n: string) => q(n))
          : `CREATE UNIQUE INDEX ${q(index.name)} ON ${q(table)} (${info.map((c) => q(c.name)).join(', ')})`;
        parts.push({ kind: 'index', table, name: index.name, create: [create] });
      }
    }
    const triggers = lite
      .prepare(
        "SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
      )
      .all() as { name: string; tableName: string; sql: string }[];
    for (const trigger of triggers) {
      const m =
        /BEFORE\s+(UPDATE|DELETE)\s+ON\s+\S+\s+BEGIN\s+SELECT\s+RAISE\(ABORT,\s*'((?:[^']|'')*)'\);\s*END/i.exec(
          trigger.sql,
        );
      if (!m)
        throw new Error(
          `The trigger ${trigger.name} has no PostgreSQL form; add one in pg/schema.ts.`,
        );
      later.push({
        kind: 'trigger',
        table: trigger.tableName,
        name: trigger.name,
        create: [
          `CREATE OR REPLACE FUNCTION ${q(trigger.name)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '${m[2]}';
END $$`,
          `CREATE TRIGGER ${q(trigger.name)} BEFORE ${(m[1] as string).toUpperCase()} ON ${q(trigger.tableName)} FOR EACH ROW EXECUTE FUNCTION ${q(trigger.name)}()`,
        ],
      });
    }
    const ordered = [...parts, ...later];
    const all = ordered.flatMap((p) => (p.kind === 'column' ? [] : p.create));
    const version = createHash('sha256').update(all.join(';\n')).digest('hex').slice(0, 16);
    return { statements: all, parts: ordered, version, tables, indexOrders };
  } finally {
    lite.close();
  }
}
