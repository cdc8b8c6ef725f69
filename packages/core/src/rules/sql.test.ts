import { describe, expect, it } from 'vitest';
import { postgres, sqlite } from './dialect.js';
import type { Condition } from './schema.js';
import { compileRuleSql } from './sql.js';

const rule: Condition = {
  kind: 'and',
  of: [
    { kind: 'cmp', field: 'aum', op: '=', value: 42 },
    { kind: 'cmp', field: 'aum', op: '>=', value: 123_456.78 },
    { kind: 'event', event: 'large_inflow', withinDays: 30 },
  ],
};

describe('compileRuleSql', () => {
  it('binds every value, period and date as a parameter and splices none into the text', () => {
    const { sql, params } = compileRuleSql(rule, { dialect: sqlite, asOf: '2026-10' });
    expect(sql).not.toContain('123456.78');
    expect(sql).not.toContain('2026-10');
    expect(sql).not.toContain('large_inflow');
    expect(params).toContain('large_inflow');
    expect(params).toContain(123_456.78);
    expect(params).toContain('2026-10-31');
    expect(sql.split('?').length - 1).toBe(params.length);
  });

  it('refuses an unchecked rule instead of writing it into SQL', () => {
    const hostile = {
      kind: 'trend',
      metric: 'aum_avg) FROM x; --',
      months: 3,
      op: '>',
      value: 0,
    } as unknown as Condition;
    expect(() => compileRuleSql(hostile, { dialect: sqlite, asOf: '2026-10' })).toThrow(
      /Invalid rule: metric/,
    );
  });

  it('numbers PostgreSQL placeholders in order and casts dates', () => {
    const { sql, params } = compileRuleSql(rule, { dialect: postgres, asOf: '2026-10' });
    const placeholders = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(placeholders).toEqual(params.map((_, k) => k + 1));
    expect(sql).toContain('CAST(c.linked_on AS DATE)');
  });

  it('reads only the months and events the rule needs', () => {
    const { sql } = compileRuleSql(
      { kind: 'cmp', field: 'aum', op: '>', value: 1 },
      { dialect: sqlite, asOf: '2026-10' },
    );
    expect(sql).toContain('m_aum_avg_0');
    expect(sql).not.toContain('FROM events');
    const trend = compileRuleSql(
      { kind: 'trend', metric: 'fee_income', months: 6, op: '>', value: 0 },
      { dialect: sqlite, asOf: '2026-10' },
    );
    expect(trend.params).toContain('2026-04');
  });
});
