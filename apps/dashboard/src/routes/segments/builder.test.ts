import { conditionSchema } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { operatorsFor, toCondition, valuesFor } from './builder.js';

describe('the rule builder', () => {
  it('turns rows into the condition language, which the schema accepts', () => {
    const made = toCondition(
      [
        { kind: 'cmp', field: 'aum', op: '>=', value: '500000' },
        { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
        { kind: 'cmp', field: 'has_mortgage', op: '=', value: 'true' },
        { kind: 'event', event: 'wealth_maturing', withinDays: 30 },
      ],
      'and',
    );
    if (!('rule' in made)) throw new Error(made.problem);
    expect(made.rule).toEqual({
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'aum', op: '>=', value: 500000 },
        { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
        { kind: 'cmp', field: 'has_mortgage', op: '=', value: true },
        { kind: 'event', event: 'wealth_maturing', withinDays: 30 },
      ],
    });
    expect(conditionSchema.safeParse(made.rule).success).toBe(true);
  });

  it('keeps a single row alone, and says what is missing', () => {
    expect(toCondition([{ kind: 'cmp', field: 'age', op: '>=', value: '60' }], 'or')).toEqual({
      rule: { kind: 'cmp', field: 'age', op: '>=', value: 60 },
    });
    expect(toCondition([{ kind: 'cmp', field: 'age', op: '>=', value: '' }], 'and')).toEqual({
      problem: 'row 1: no value',
    });
    expect(toCondition([{ kind: 'cmp', field: 'age', op: '>=', value: 'old' }], 'and')).toEqual({
      problem: 'row 1: not a number',
    });
    expect(toCondition([], 'and')).toEqual({ problem: 'no condition' });
  });

  it('offers the operators and values a field allows', () => {
    expect(operatorsFor('aum')).toContain('>=');
    expect(operatorsFor('kind')).toEqual(['=', '!=']);
    expect(valuesFor('kind', 'zh-CN')).toEqual([
      { value: 'retail', label: '个人' },
      { value: 'corporate', label: '对公' },
    ]);
    expect(valuesFor('aum', 'en')).toBeNull();
  });
});

describe('the builder from a rule', () => {
  it('shows comparisons and events as rows, and gives back the same rule', async () => {
    const { fromCondition, toCondition } = await import('./builder.js');
    const rule = {
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
        { kind: 'cmp', field: 'insurance', op: '>=', value: 12300 },
      ],
    } as const;
    const made = fromCondition(rule);
    expect(made?.rows).toHaveLength(2);
    expect(toCondition(made?.rows ?? [], made?.join ?? 'and')).toEqual({ rule });
    expect(
      fromCondition({ kind: 'not', of: { kind: 'cmp', field: 'age', op: '>=', value: 1 } }),
    ).toBeNull();
  });
});
