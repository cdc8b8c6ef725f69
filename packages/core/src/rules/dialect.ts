/**
 * The SQL a database speaks where dialects differ. Add a dialect (Hive/Spark SQL,
 * StarRocks/Doris, …) by implementing this interface; the rule compiler uses nothing else.
 */
export interface SqlDialect {
  readonly name: string;
  /** The placeholder of the n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  /** A boolean as bound to this database. */
  bool(value: boolean): unknown;
  /** A date-valued expression from a 'YYYY-MM-DD' text expression. */
  date(text: string): string;
  /** Whole days from `earlier` to `later` (both date expressions). */
  daysBetween(later: string, earlier: string): string;
  /** Whole years of age at `at` for a birth date (both date expressions). */
  ageYears(at: string, birth: string): string;
  /** The first character of a text expression. */
  firstChar(text: string): string;
  /** A numeric expression as double precision (so integer division never truncates). */
  toDouble(expr: string): string;
  /** Whole days since 1970-01-01 of a date expression (the in-memory engine's day numbers). */
  dayNumber(date: string): string;
  /**
   * An expression cast to a type that may hold NULL, so the branches of a UNION ALL agree
   * (`kind` is the value's kind; text dates are `'date'`).
   */
  nullable(expr: string, kind: 'double' | 'text' | 'date'): string;
  /**
   * The customers joined to one row per customer of `pivot` (a subquery whose key column is
   * `id`), selecting `customer_id` (the customer's id), `columns` of `customers` (each as
   * `c_<column>`) and `pivotColumns` of the subquery.
   */
  joinPivot(columns: readonly string[], pivot: string, pivotColumns: readonly string[]): string;
  /**
   * What ends a derived table the planner must not merge into the query around it (the
   * pushdown's layers reference the layer below several times; merged, the expressions
   * would grow exponentially). @default ' OFFSET 0'
   */
  readonly fence?: string;
  /** The literal FALSE, where the database has none. @default 'FALSE' */
  readonly false?: string;
  /**
   * Where the database takes no bound parameters (e.g. ClickHouse over HTTP): a value as a
   * safe SQL literal. The compiler then inlines every value through this and nothing else.
   */
  readonly literal?: (value: unknown) => string;
}

/** The standard join: `customers c LEFT JOIN (pivot) p ON p.id = c.id`. */
function standardJoin(
  columns: readonly string[],
  pivot: string,
  pivotColumns: readonly string[],
): string {
  const list = [
    'c.id AS customer_id',
    ...columns.map((c) => `c.${c} AS c_${c}`),
    ...pivotColumns.map((c) => `p.${c}`),
  ];
  return `SELECT ${list.join(', ')} FROM customers c LEFT JOIN (${pivot}) p ON p.id = c.id`;
}

const CASTS = {
  postgres: { double: 'DOUBLE PRECISION', text: 'TEXT', date: 'DATE' },
  duckdb: { double: 'DOUBLE', text: 'VARCHAR', date: 'DATE' },
  ansi: { double: 'DOUBLE PRECISION', text: 'VARCHAR(255)', date: 'DATE' },
  clickhouse: { double: 'Nullable(Float64)', text: 'Nullable(String)', date: 'Nullable(Date)' },
} as const;

/** SQLite (dates stored as ISO text). */
export const sqlite: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
  bool: (v) => (v ? 1 : 0),
  date: (text) => text,
  daysBetween: (later, earlier) => `CAST(julianday(${later}) - julianday(${earlier}) AS INTEGER)`,
  ageYears: (at, birth) =>
    `(CAST(strftime('%Y', ${at}) AS INTEGER) - CAST(strftime('%Y', ${birth}) AS INTEGER) - (strftime('%m%d', ${at}) < strftime('%m%d', ${birth})))`,
  firstChar: (text) => `substr(${text}, 1, 1)`,
  toDouble: (expr) => `CAST(${expr} AS REAL)`,
  dayNumber: (date) => `CAST(julianday(${date}) - 2440587.5 AS INTEGER)`,
  // SQLite never flattens a subquery with an OFFSET (its rule 14); LIMIT -1 is "no limit".
  fence: ' LIMIT -1 OFFSET 0',
  nullable: (expr) => expr,
  joinPivot: standardJoin,
};

/** PostgreSQL. */
export const postgres: SqlDialect = {
  name: 'postgres',
  placeholder: (n) => `$${n}`,
  bool: (v) => v,
  date: (text) => `CAST(${text} AS DATE)`,
  daysBetween: (later, earlier) => `(${later} - ${earlier})`,
  ageYears: (at, birth) => `CAST(EXTRACT(YEAR FROM AGE(${at}, ${birth})) AS INTEGER)`,
  firstChar: (text) => `SUBSTRING(${text} FROM 1 FOR 1)`,
  toDouble: (expr) => `CAST(${expr} AS DOUBLE PRECISION)`,
  dayNumber: (date) => `(CAST(${date} AS DATE) - DATE '1970-01-01')`,
  nullable: (expr, kind) => `CAST(${expr} AS ${CASTS.postgres[kind]})`,
  joinPivot: standardJoin,
};

/** Generic ANSI SQL, for a warehouse without a dialect of its own. */
export const ansi: SqlDialect = {
  name: 'ansi',
  placeholder: () => '?',
  bool: (v) => v,
  date: (text) => `CAST(${text} AS DATE)`,
  daysBetween: (later, earlier) =>
    `EXTRACT(DAY FROM (CAST(${later} AS TIMESTAMP) - CAST(${earlier} AS TIMESTAMP)))`,
  ageYears: (at, birth) =>
    `(EXTRACT(YEAR FROM ${at}) - EXTRACT(YEAR FROM ${birth}) - CASE WHEN EXTRACT(MONTH FROM ${at}) * 100 + EXTRACT(DAY FROM ${at}) < EXTRACT(MONTH FROM ${birth}) * 100 + EXTRACT(DAY FROM ${birth}) THEN 1 ELSE 0 END)`,
  firstChar: (text) => `SUBSTRING(${text} FROM 1 FOR 1)`,
  toDouble: (expr) => `CAST(${expr} AS DOUBLE PRECISION)`,
  dayNumber: (date) =>
    `EXTRACT(DAY FROM (CAST(${date} AS TIMESTAMP) - TIMESTAMP '1970-01-01 00:00:00'))`,
  nullable: (expr, kind) => `CAST(${expr} AS ${CASTS.ansi[kind]})`,
  joinPivot: standardJoin,
};

/** DuckDB (the embedded column store): PostgreSQL-style placeholders, `date_diff` for days. */
export const duckdb: SqlDialect = {
  name: 'duckdb',
  placeholder: (n) => `$${n}`,
  bool: (v) => v,
  date: (text) => `CAST(${text} AS DATE)`,
  daysBetween: (later, earlier) => `date_diff('day', ${earlier}, ${later})`,
  ageYears: (at, birth) =>
    `(year(${at}) - year(${birth}) - CASE WHEN month(${at}) * 100 + day(${at}) < month(${birth}) * 100 + day(${birth}) THEN 1 ELSE 0 END)`,
  firstChar: (text) => `substr(${text}, 1, 1)`,
  toDouble: (expr) => `CAST(${expr} AS DOUBLE)`,
  dayNumber: (date) => `date_diff('day', DATE '1970-01-01', CAST(${date} AS DATE))`,
  nullable: (expr, kind) => `CAST(${expr} AS ${CASTS.duckdb[kind]})`,
  joinPivot: standardJoin,
};

/** A ClickHouse string literal: backslash and quote escaped, so no value can end it. */
function clickhouseString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * ClickHouse (18.16 and later; the distributed warehouse). Values are inlined as literals
 * (its HTTP interface binds none in that version), strings escaped, numbers written so they
 * read back as the same double. The join is `ANY LEFT JOIN … USING id` with the customers
 * table first: over a `Distributed` table, run with `distributed_product_mode = 'local'`, each
 * shard joins its own customers to its own months and events (all sharded by customer id).
 */
export const clickhouse: SqlDialect = {
  name: 'clickhouse',
  placeholder: () => {
    throw new Error('ClickHouse queries inline their values');
  },
  bool: (v) => (v ? 1 : 0),
  date: (text) => `toDate(${text})`,
  daysBetween: (later, earlier) => `(${later} - ${earlier})`,
  ageYears: (at, birth) =>
    `(toYear(${at}) - toYear(${birth}) - (toMonth(${at}) * 100 + toDayOfMonth(${at}) < toMonth(${birth}) * 100 + toDayOfMonth(${birth})))`,
  firstChar: (text) => `substringUTF8(${text}, 1, 1)`,
  toDouble: (expr) => `toFloat64(${expr})`,
  dayNumber: (date) => `toInt32(toDate(${date}))`,
  nullable: (expr, kind) => `CAST(${expr} AS ${CASTS.clickhouse[kind]})`,
  joinPivot: (columns, pivot, pivotColumns) =>
    `SELECT ${['id AS customer_id', ...columns.map((c) => `${c} AS c_${c}`), ...pivotColumns].join(', ')} FROM customers ANY LEFT JOIN (${pivot}) USING id`,
  false: '0',
  fence: '', // ClickHouse runs each derived table as its own block, never merged
  literal: (value) => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
      return Number.isInteger(value)
        ? String(value)
        : `toFloat64(${clickhouseString(String(value))})`;
    }
    if (typeof value === 'string') return clickhouseString(value);
    throw new TypeError(`No ClickHouse literal for ${typeof value}`);
  },
};

/** The dialects Strata ships, by name. */
export const DIALECTS = { sqlite, postgres, ansi, duckdb, clickhouse } as const;
