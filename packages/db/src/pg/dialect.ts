/**
 * Strata's SQL is written once, for SQLite, and kept to what PostgreSQL also understands; this
 * rewrites the rest on the way to PostgreSQL:
 * - `?` placeholders → `$1, $2, …` (outside strings, quoted names and comments);
 * - `` `name` `` → `"name"`;
 * - `BEGIN IMMEDIATE` → `BEGIN` and an advisory lock all writers take (one writer at a time);
 * - `INSERT OR IGNORE` → `INSERT … ON CONFLICT DO NOTHING`;
 * - `a IS b`, `a IS NOT b` → `IS [NOT] DISTINCT FROM` (SQLite's null-safe comparisons);
 * - `? IS NULL` → `CAST($n AS TEXT) IS NULL` (PostgreSQL must know a parameter's type);
 * - `json_extract(x, '$.a')` → `(x::jsonb -> 'a')` (a JSON value: numbers stay numbers);
 * - `json_each(?)` → `json_array_elements_text(?::json)` (its `value` column);
 * - `strftime('%Y-%m-%dT%H:%M:%fZ','now')` → the same ISO text from `now()`;
 * - `CAST(julianday(x) - 2440587.5 AS INTEGER)` → days since 1970 of the date `x`;
 * - `LIKE` → `ILIKE` (SQLite's LIKE ignores ASCII case);
 * - `AS REAL` → `AS DOUBLE PRECISION`; `integer` columns are 64-bit (`bigint`) there;
 * - `AS camelCase` → `AS "camelCase"` (PostgreSQL folds unquoted names to lower case);
 * - `INDEXED BY i` → `ORDER BY` the index's columns (see `indexOrder`).
 * Anything else SQLite-only is refused at run time by PostgreSQL, with its message.
 */
export function toPostgres(
  sql: string,
  indexes: ReadonlyMap<string, string> = new Map(),
): { readonly text: string; readonly params: number } {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      out += `"${sql.slice(i + 1, end)}"`;
      i = end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = sql.indexOf('*/', i + 2) + 2;
    } else if (c === '?') {
      n++;
      const rest = sql.slice(i + 1);
      out += /^\s+IS\s+(NOT\s+)?NULL\b/i.test(rest) ? `CAST($${n} AS TEXT)` : `$${n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { text: quoteAliases(indexOrder(rewrite(out), indexes)), params: n };
}

/**
 * `FROM t INDEXED BY i`: SQLite reads in the index's order, and Strata reads columns of the
 * same rows in separate statements relying on it; PostgreSQL has no such clause, so the order
 * is asked for (`ORDER BY` the index's columns, then the row id).
 */
function indexOrder(sql: string, indexes: ReadonlyMap<string, string>): string {
  const m = /\s+INDEXED\s+BY\s+"?(\w+)"?/i.exec(sql);
  if (!m) return sql;
  const order = indexes.get(m[1] as string);
  if (order === undefined) throw new Error(`INDEXED BY ${m[1]}: no such index.`);
  const rest = sql.slice(0, m.index) + sql.slice(m.index + m[0].length);
  if (/\bORDER\s+BY\b/i.test(rest)) return rest;
  return `${rest} ORDER BY ${order}`;
}

/** The end (exclusive) of the quoted run starting at `start` (doubled quotes are escapes). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const at = sql.indexOf(quote, i);
    if (at === -1) return sql.length;
    if (sql[at + 1] === quote) i = at + 2;
    else return at + 1;
  }
}

const ISO_NOW = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** An argument: anything without a top-level comma, one level of parentheses inside. */
const ARG = String.raw`((?:[^(),']|\([^()]*\))+)`;

/**
 * PostgreSQL folds unquoted names to lower case: a camelCase alias (`AS listId`) is quoted, and
 * so is every other bare use of it in the statement (`latest.listId`, `ORDER BY listId`).
 */
function quoteAliases(sql: string): string {
  const aliases = new Set(
    [...sql.matchAll(/\bAS\s+([a-z_]\w*[A-Z]\w*)\b/g)].map((m) => m[1] as string),
  );
  if (aliases.size === 0) return sql;
  const words = new RegExp(`(?<!["\\w])(${[...aliases].join('|')})(?![\\w"])`, 'g');
  // outside string literals only
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(words, '"$1"')))
    .join('');
}

/** A lock every writing transaction takes, as SQLite's BEGIN IMMEDIATE does. */
export const WRITER_LOCK = 'SELECT pg_advisory_xact_lock(7102661122)';

function rewrite(sql: string): string {
  if (/^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\s*;?\s*$/i.test(sql)) return `BEGIN; ${WRITER_LOCK}`;
  const ignore = /^\s*INSERT\s+OR\s+IGNORE\s+/i.exec(sql);
  if (ignore) {
    const rest = sql.slice(ignore[0].length);
    const returning = /\sRETURNING\s/i.exec(rest);
    sql = returning
      ? `INSERT ${rest.slice(0, returning.index)} ON CONFLICT DO NOTHING${rest.slice(returning.index)}`
      : `INSERT ${rest} ON CONFLICT DO NOTHING`;
  }
  return sql
    .replace(
      new RegExp(String.raw`json_extract\(${ARG},\s*'\$\.(\w+)'\)`, 'gi'),
      "($1::jsonb -> '$2')",
    )
    .replace(/json_each\((\$\d+)\)/gi, 'json_array_elements_text($1::json) AS value')
    .replace(/\(?strftime\('%Y-%m-%dT%H:%M:%fZ',\s*'now'\)\)?/gi, `(${ISO_NOW})`)
    .replace(
      new RegExp(String.raw`CAST\(julianday\(${ARG}\)\s*-\s*2440587\.5\s+AS\s+INTEGER\)`, 'gi'),
      "(CAST($1 AS DATE) - DATE '1970-01-01')",
    )
    .replace(/\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)/gi, 'IS DISTINCT FROM ')
    .replace(/\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b|TRUE\b|FALSE\b)/gi, 'IS NOT DISTINCT FROM ')
    .replace(/\bLIKE\b/gi, 'ILIKE')

    .replace(/\bAS\s+REAL\)/gi, 'AS DOUBLE PRECISION)');
}
