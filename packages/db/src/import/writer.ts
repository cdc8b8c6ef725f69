import type { StrataDb } from '../types.js';
import type { FieldSpec } from './catalogue.js';
import type { Value } from './fields.js';

/** Rows per multi-row upsert. */
const BATCH = 64;
/** Rows of the first batch that decide which empty columns are left out of the inserts. */
const LEAN_SAMPLE = 1024;
/** Fewest columns worth a second set of statements. */
const LEAN_MIN = 3;

type Statement = ReturnType<StrataDb['sqlite']['prepare']>;

/** Where one import run writes its checked rows. */
export interface RowWriterSetup {
  readonly table: string;
  /** The key's columns, comma-separated (the upsert's conflict target). */
  readonly key: string;
  /** The file's fields, in the order of the values handed to `add`. */
  readonly fields: readonly FieldSpec[];
  readonly runId: number;
  /** A row whose key an earlier row of this run wrote: `keyText` as the file wrote it. */
  readonly onDuplicate: (line: number, field: string, keyText: string) => void;
}

/**
 * Upserts the checked rows of one import run by their key, BATCH rows per statement, inside the
 * caller's transaction. A row whose key this run already wrote changes nothing (the upsert skips
 * rows whose `import_batch` is this run's): a duplicate, reported with its line. A batch that
 * changes fewer rows than it holds is rolled back to its savepoint and redone row by row.
 *
 * Binding is most of the writing (better-sqlite3 binds value by value): the nullable columns
 * (no default) that every row of the first large batch leaves empty — a retail file's corporate
 * columns — are left out of the inserts (NULL all the same) until a row fills one; from that row
 * on, in file order, every column is bound.
 */
export function createRowWriter(db: StrataDb, setup: RowWriterSetup) {
  const { table, key, fields, runId } = setup;
  const keyColumns = new Set(key.split(', '));
  const keyAt = fields.flatMap((f, k) => (keyColumns.has(f.column) ? [k] : []));
  // Every mapped column is updated (a column left out of an insert is NULL in `excluded`).
  const updates = [...fields.map((s) => s.column), 'import_batch']
    .filter((c) => !keyColumns.has(c))
    .map((c) => `${c} = excluded.${c}`);
  const upsertSql = (bound: readonly number[], rows: number) => {
    const cols = [...bound.map((k) => (fields[k] as FieldSpec).column), 'import_batch'];
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    return `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}
           ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')} WHERE ${table}.import_batch IS NOT excluded.import_batch`;
  };
  // (SQLite only: on PostgreSQL rows go through its connection's own batching)
  const nullable = new Set(
    (db.dialect !== 'sqlite'
      ? []
      : (db.sqlite.prepare(`PRAGMA table_info(${table})`).all() as {
          name: string;
          notnull: number;
          dflt_value: unknown;
          pk: number;
        }[])
    )
      .filter((c) => c.notnull === 0 && c.dflt_value === null && c.pk === 0)
      .map((c) => c.name),
  );
  /** Fields that may be left out of the insert while they are empty. */
  const omittable = fields.flatMap((f, k) =>
    nullable.has(f.column) && !keyColumns.has(f.column) ? [k] : [],
  );
  const externalIdOf = db.sqlite.prepare('SELECT external_id FROM customers WHERE id = ?').pluck();
  const savepoint = db.sqlite.prepare('SAVEPOINT strata_batch');
  const release = db.sqlite.prepare('RELEASE strata_batch');
  const rollbackTo = db.sqlite.prepare('ROLLBACK TO strata_batch');

  // The fields bound per row, in order, where the key's are among them, and the statements.
  let bound: number[] = [];
  let keyPos: number[] = [];
  let one: Statement;
  let many: Statement;
  const bindOnly = (fieldsBound: number[]): void => {
    bound = fieldsBound;
    keyPos = keyAt.map((k) => fieldsBound.indexOf(k));
    one = db.sqlite.prepare(upsertSql(fieldsBound, 1));
    many = db.sqlite.prepare(upsertSql(fieldsBound, BATCH));
  };
  const all = fields.map((_, k) => k);
  bindOnly(all);
  /** The fields left out while rows keep them empty; null until the first batch decides. */
  let lean: number[] | null = null;

  // Rows waiting to be written: the bound values each, then the run id.
  const batch: Value[] = [];
  const lines: number[] = [];
  const row: Value[] = [];
  let written = 0;

  const writeOne = (r: number): void => {
    const w = bound.length + 1;
    row.length = w;
    for (let k = 0; k < w; k++) row[k] = batch[r * w + k] as Value;
    if (one.run(row).changes === 1) {
      written++;
      return;
    }
    // the key as the file wrote it (a customer reference is an id by now)
    const keyText = keyAt
      .map((k, j) => {
        const v = row[keyPos[j] as number];
        return (fields[k] as FieldSpec).of.type === 'customer'
          ? String(externalIdOf.get(v) ?? v)
          : String(v);
      })
      .join(' ');
    setup.onDuplicate(lines[r] as number, (fields[keyAt[0] as number] as FieldSpec).name, keyText);
  };

  const flush = (): void => {
    const n = lines.length;
    if (n === BATCH) {
      savepoint.run();
      if (many.run(batch).changes === n) {
        release.run();
        written += n;
      } else {
        rollbackTo.run();
        release.run();
        for (let r = 0; r < n; r++) writeOne(r);
      }
    } else for (let r = 0; r < n; r++) writeOne(r);
    batch.length = 0;
    lines.length = 0;
  };

  return {
    /** Rows written (each changed a row of the table). */
    get written(): number {
      return written;
    },
    /** True while rows wait in the batch (a reference to a customer among them may resolve). */
    get pending(): boolean {
      return lines.length > 0;
    },

    /**
     * Looks at a batch of rows (one value per field each) before they are added: the first
     * large one decides which empty columns are left out of the inserts.
     */
    sample(values: readonly Value[], rows: number): void {
      if (lean !== null) return;
      const width = fields.length;
      lean =
        rows >= LEAN_SAMPLE
          ? omittable.filter((k) => {
              for (let r = 0; r < rows; r++) if (values[r * width + k] !== null) return false;
              return true;
            })
          : [];
      if (lean.length < LEAN_MIN) lean = [];
      else {
        const out = new Set(lean);
        bindOnly(all.filter((k) => !out.has(k)));
      }
    },

    /** Adds the row at `base` of `values` (one value per field), from line `line`. */
    add(values: readonly Value[], base: number, line: number): void {
      if (lean !== null && lean.length > 0 && lean.some((k) => values[base + k] !== null)) {
        // a row fills a column left out: every row from here binds them all (in file order)
        flush();
        lean = [];
        bindOnly(all);
      }
      for (const k of bound) batch.push(values[base + k] as Value);
      batch.push(runId);
      lines.push(line);
      if (lines.length === BATCH) flush();
    },

    /** Writes the rows waiting in the batch. */
    flush,
  };
}

/** A writer of one import run's rows (see `createRowWriter`). */
export type RowWriter = ReturnType<typeof createRowWriter>;

/**
 * For a large load into a small table, inside the load's transaction: drops the table's
 * non-unique indexes and returns their SQL, to build them again at the end (sorting once beats
 * millions of b-tree inserts; a rollback brings them back untouched). SQLite only: nothing on
 * PostgreSQL.
 */
export function dropSecondaryIndexes(db: StrataDb, table: string): string[] {
  if (db.dialect !== 'sqlite') return [];
  const indexes = db.sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
    )
    .all(table) as { name: string; sql: string }[];
  for (const index of indexes) db.sqlite.exec(`DROP INDEX "${index.name}"`);
  return indexes.map((index) => index.sql);
}
