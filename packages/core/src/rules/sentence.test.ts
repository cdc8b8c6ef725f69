import { describe, expect, it } from 'vitest';
import type { Condition } from './schema.js';
import { describeRule } from './sentence.js';

// A wealth-team micro-segment: affluent seniors with money maturing and no recent complaint.
const rule: Condition = {
  kind: 'and',
  of: [
    { kind: 'cmp', field: 'aum', op: '>=', value: 500_000 },
    {
      kind: 'or',
      of: [
        { kind: 'cmp', field: 'life_stage', op: '=', value: 'senior' },
        { kind: 'cmp', field: 'age', op: '>=', value: 60 },
      ],
    },
    { kind: 'event', event: 'wealth_maturing', withinDays: 30 },
    { kind: 'not', of: { kind: 'event', event: 'complaint', withinDays: 90 } },
  ],
};

describe('describeRule', () => {
  it('reads as a Chinese sentence', () => {
    expect(describeRule(rule, 'zh-CN')).toBe(
      '管理资产月日均 ≥ 50万元 且 （人生阶段为银发 或 年龄 ≥ 60 岁） 且 近 30 天内有「理财到期」 且 并非近 90 天内有「投诉」',
    );
  });

  it('reads as an English sentence', () => {
    expect(describeRule(rule, 'en')).toBe(
      'AUM (monthly average) ≥ RMB 500K and (life stage is senior or age ≥ 60 years) and had "wealth product maturing" in the last 30 days and not had "complaint" in the last 90 days',
    );
  });

  it('writes trends, ranges, lists and booleans plainly', () => {
    expect(
      describeRule({ kind: 'trend', metric: 'aum_avg', months: 3, op: '<=', value: -0.3 }, 'zh-CN'),
    ).toBe('管理资产近 3 个月变动 ≤ -30%');
    expect(describeRule({ kind: 'between', field: 'age', min: 25, max: 35 }, 'en')).toBe(
      'age between 25 years and 35 years',
    );
    expect(
      describeRule({ kind: 'in', field: 'enterprise_size', values: ['small', 'micro'] }, 'zh-CN'),
    ).toBe('企业规模为 小型、微型 之一');
    expect(describeRule({ kind: 'cmp', field: 'basic_account', op: '=', value: true }, 'en')).toBe(
      'basic account with us is yes',
    );
  });
});
