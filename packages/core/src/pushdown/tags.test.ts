import { describe, expect, it } from 'vitest';
import { DEFAULT_INSIGHT_CONFIG } from '../insight/config.js';
import { clickhouse, duckdb, postgres, sqlite } from '../rules/dialect.js';
import { compileTagsSql } from './tags.js';

const periods = ['2026-08', '2026-09', '2026-10'];

describe('compileTagsSql', () => {
  it('binds every value where the database takes parameters', () => {
    for (const dialect of [sqlite, postgres, duckdb]) {
      const q = compileTagsSql(DEFAULT_INSIGHT_CONFIG, { dialect, asOf: '2026-10', periods });
      expect(q.params).toContain('2026-10');
      expect(q.sql).not.toContain("'2026-10'");
      expect(q.segments).toEqual(DEFAULT_INSIGHT_CONFIG.segments.map((s) => s.key));
    }
  });

  it('inlines escaped literals for ClickHouse, and nothing else', () => {
    const q = compileTagsSql(DEFAULT_INSIGHT_CONFIG, {
      dialect: clickhouse,
      asOf: '2026-10',
      periods,
    });
    expect(q.params).toEqual([]);
    expect(q.sql).toContain("'2026-10'");
    expect(q.sql).toContain('ANY LEFT JOIN');
    expect(clickhouse.literal?.("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(clickhouse.literal?.(0.1)).toBe("toFloat64('0.1')");
    expect(() => clickhouse.literal?.(Number.NaN)).toThrow(/finite/);
  });

  it('layers one derived table per month, fenced so no planner merges them', () => {
    const q = compileTagsSql(DEFAULT_INSIGHT_CONFIG, {
      dialect: postgres,
      asOf: '2026-10',
      periods,
    });
    expect(q.sql.match(/ OFFSET 0\)/g)?.length).toBe(periods.length + 2);
    const lite = compileTagsSql(DEFAULT_INSIGHT_CONFIG, {
      dialect: sqlite,
      asOf: '2026-09',
      periods,
    });
    expect(lite.sql.match(/ LIMIT -1 OFFSET 0\)/g)?.length).toBe(2 + 2);
  });

  it('refuses a month without data and a bad hysteresis setting', () => {
    expect(() =>
      compileTagsSql(DEFAULT_INSIGHT_CONFIG, { dialect: sqlite, asOf: '2026-11', periods }),
    ).toThrow(/No monthly data for 2026-11/);
    expect(() =>
      compileTagsSql(
        { ...DEFAULT_INSIGHT_CONFIG, downgradeMonths: 0 },
        { dialect: sqlite, asOf: '2026-10', periods },
      ),
    ).toThrow(/downgradeMonths/);
  });
});
