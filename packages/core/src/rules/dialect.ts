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
}

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
};

/** The dialects Strata ships, by name. */
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
};

export const DIALECTS = { sqlite, postgres, ansi, duckdb } as const;
