import { describe, expect, it } from 'vitest';
import { mergeInserts } from './connection.js';
import { toPostgres } from './dialect.js';

const pg = (sql: string, indexes?: Map<string, string>) => toPostgres(sql, indexes).text;

describe('toPostgres', () => {
  it('numbers placeholders, leaving strings, quoted names and comments alone', () => {
    expect(toPostgres('SELECT ?, \'?\', "a?" -- ?\n, ? /* ? */').text).toBe(
      'SELECT $1, \'?\', "a?" \n, $2 ',
    );
    expect(toPostgres('SELECT ? , ?').params).toBe(2);
    expect(pg("SELECT 'it''s ?', ?")).toBe("SELECT 'it''s ?', $1");
  });

  it('types a parameter tested for NULL, and turns SQLite’s IS / IS NOT into DISTINCT FROM', () => {
    expect(pg('WHERE (? IS NULL OR a = ?)')).toBe('WHERE (CAST($1 AS TEXT) IS NULL OR a = $2)');
    expect(pg('WHERE a IS NOT excluded.a AND b IS ? AND c IS NOT NULL AND d IS NULL')).toBe(
      'WHERE a IS DISTINCT FROM excluded.a AND b IS NOT DISTINCT FROM $1 AND c IS NOT NULL AND d IS NULL',
    );
  });

  it('rewrites SQLite’s functions', () => {
    expect(pg("SELECT json_extract(l.summary, '$.listed') FROM x")).toBe(
      "SELECT (l.summary::jsonb -> 'listed') FROM x",
    );
    expect(pg('WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))')).toBe(
      'WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_array_elements_text($1::json) AS value)',
    );
    expect(pg('SELECT CAST(julianday(max(occurred_on)) - 2440587.5 AS INTEGER) FROM t')).toBe(
      "SELECT (CAST(max(occurred_on) AS DATE) - DATE '1970-01-01') FROM t",
    );
    expect(pg("UPDATE t SET at = strftime('%Y-%m-%dT%H:%M:%fZ','now')")).toContain(
      `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    );
    expect(pg("WHERE path LIKE ? || '%' AND x NOT LIKE 'a%'")).toBe(
      "WHERE path ILIKE $1 || '%' AND x NOT ILIKE 'a%'",
    );
    expect(pg('SELECT CAST(a AS REAL) FROM t')).toBe('SELECT CAST(a AS DOUBLE PRECISION) FROM t');
  });

  it('quotes camelCase aliases and every bare use of them, not inside strings', () => {
    expect(
      pg(
        "WITH latest AS (SELECT max(id) AS listId FROM t) SELECT latest.listId, 'listId' FROM latest ORDER BY listId",
      ),
    ).toBe(
      `WITH latest AS (SELECT max(id) AS "listId" FROM t) SELECT latest."listId", 'listId' FROM latest ORDER BY "listId"`,
    );
    expect(pg('SELECT a AS plain, b AS "keptQuoted" FROM t')).toBe(
      'SELECT a AS plain, b AS "keptQuoted" FROM t',
    );
  });

  it('turns INDEXED BY into the index’s order, INSERT OR IGNORE into ON CONFLICT DO NOTHING', () => {
    const indexes = new Map([['customers_rm', '"rm_id", "id"']]);
    expect(
      pg('SELECT id FROM customers INDEXED BY customers_rm WHERE rm_id IS NOT NULL', indexes),
    ).toBe('SELECT id FROM customers WHERE rm_id IS NOT NULL ORDER BY "rm_id", "id"');
    expect(() => pg('SELECT id FROM customers INDEXED BY nope')).toThrow(
      /INDEXED BY nope: no such index/,
    );
    expect(pg('INSERT OR IGNORE INTO t (a) VALUES (?)')).toBe(
      'INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING',
    );
    expect(pg('INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING id')).toBe(
      'INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id',
    );
    expect(pg('BEGIN IMMEDIATE')).toMatch(/^BEGIN; SELECT pg_advisory_xact_lock\(\d+\)$/);
    expect(pg('CREATE INDEX `a` ON `t` (`b`)')).toBe('CREATE INDEX "a" ON "t" ("b")');
  });
});

describe('mergeInserts', () => {
  it('merges consecutive one-row inserts of one statement, renumbering their parameters', () => {
    const one = 'INSERT INTO t (a, b, c) VALUES ($1, 0, $2)';
    const merged = mergeInserts([
      { text: one, params: [1, 'x'] },
      { text: one, params: [2, 'y'] },
      { text: 'INSERT INTO u (a) VALUES ($1) ON CONFLICT DO NOTHING', params: [9] },
      { text: one, params: [3, 'z'] },
    ]);
    expect(merged).toEqual([
      { text: 'INSERT INTO t (a, b, c) VALUES ($1, 0, $2), ($3, 0, $4)', params: [1, 'x', 2, 'y'] },
      { text: 'INSERT INTO u (a) VALUES ($1) ON CONFLICT DO NOTHING', params: [9] },
      { text: one, params: [3, 'z'] },
    ]);
  });

  it('keeps each merged statement under PostgreSQL’s parameter limit', () => {
    const text = `INSERT INTO t VALUES (${Array.from({ length: 100 }, (_, i) => `$${i + 1}`).join(', ')})`;
    const items = Array.from({ length: 1500 }, (_, r) => ({
      text,
      params: Array.from({ length: 100 }, (_, i) => r * 100 + i),
    }));
    const merged = mergeInserts(items);
    expect(merged.map((m) => m.params.length)).toEqual([60_000, 60_000, 30_000]);
    expect(merged.flatMap((m) => m.params)).toEqual(items.flatMap((i) => i.params));
    expect(merged[2]?.text).toContain('$30000)');
  });
});
