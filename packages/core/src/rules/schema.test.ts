import { describe, expect, it } from 'vitest';
import { parseRule } from './schema.js';

describe('parseRule', () => {
  it('accepts a well-formed nested rule', () => {
    const rule = {
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'aum', op: '>=', value: 500_000 },
        {
          kind: 'or',
          of: [
            { kind: 'cmp', field: 'life_stage', op: '=', value: 'senior' },
            { kind: 'between', field: 'age', min: 55, max: 70 },
          ],
        },
        { kind: 'not', of: { kind: 'event', event: 'complaint', withinDays: 90 } },
        { kind: 'trend', metric: 'aum_avg', months: 3, op: '<=', value: -0.3 },
        { kind: 'in', field: 'aum_tier', values: ['wealth', 'diamond'] },
        { kind: 'null', field: 'recency_days' },
      ],
    };
    expect(parseRule(rule)).toEqual({ ok: true, rule });
  });

  it('names the path of an unknown field deep in the tree', () => {
    const result = parseRule({
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'aum', op: '>', value: 1 },
        { kind: 'or', of: [{ kind: 'cmp', field: 'salary', op: '>', value: 1 }] },
      ],
    });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'of.1.of.0.field', message: 'unknown field "salary"' }],
    });
  });

  it('refuses a value of the wrong type for the field, naming the value', () => {
    expect(parseRule({ kind: 'cmp', field: 'aum', op: '>', value: 'lots' })).toEqual({
      ok: false,
      issues: [{ path: 'value', message: 'aum is a number; got "lots"' }],
    });
    expect(
      parseRule({ kind: 'cmp', field: 'life_stage', op: '=', value: 'retired' }),
    ).toMatchObject({
      ok: false,
      issues: [
        {
          path: 'value',
          message: 'life_stage is one of student, young, family, middle, senior; got "retired"',
        },
      ],
    });
    expect(parseRule({ kind: 'cmp', field: 'listed', op: '>', value: true })).toMatchObject({
      ok: false,
      issues: [{ path: 'op' }],
    });
  });

  it('refuses a malformed tree: empty groups, unknown kinds, stray keys, reversed bounds', () => {
    expect(parseRule({ kind: 'or', of: [] })).toMatchObject({
      ok: false,
      issues: [{ path: 'of', message: 'needs at least one condition' }],
    });
    expect(parseRule({ kind: 'xor', of: [] })).toMatchObject({
      ok: false,
      issues: [{ path: 'kind' }],
    });
    expect(parseRule({ kind: 'cmp', field: 'aum', op: '>', value: 1, extra: 1 })).toMatchObject({
      ok: false,
    });
    expect(parseRule({ kind: 'between', field: 'age', min: 60, max: 30 })).toMatchObject({
      ok: false,
      issues: [{ path: 'max' }],
    });
    expect(
      parseRule({ kind: 'in', field: 'aum_tier', values: ['gold', 'platinum'] }),
    ).toMatchObject({ ok: false, issues: [{ path: 'values.1' }] });
    expect(parseRule({ kind: 'event', event: 'lottery_win', withinDays: 30 })).toMatchObject({
      ok: false,
      issues: [{ path: 'event' }],
    });
    expect(parseRule('aum > 5')).toMatchObject({ ok: false });
  });

  it('refuses trees nested deeper than 16 levels', () => {
    let deep: unknown = { kind: 'cmp', field: 'aum', op: '>', value: 1 };
    for (let k = 0; k < 20; k++) deep = { kind: 'not', of: deep };
    expect(parseRule(deep)).toMatchObject({
      ok: false,
      issues: [{ message: 'rules nest at most 16 levels deep' }],
    });
  });
});
