import { describe, expect, it } from 'vitest';
import type { StrategyDefinition } from './definition.js';
import { buildStrategyMap, type MapStrategy } from './map.js';

const s = (
  key: string,
  audience: StrategyDefinition['audience'],
  channel: StrategyDefinition['channel'] = 'sms',
  status: MapStrategy['status'] = 'active',
  products: string[] = [],
): MapStrategy => ({
  key,
  status,
  definition: { name: key, audience, channel, priority: 50, products },
});

const cells = [
  { row: 'payroll', stage: 'growth', customers: 400, aum: 8e7 },
  { row: 'payroll', stage: 'onboarding', customers: 120, aum: 1e6 },
  { row: 'affluent', stage: 'mature', customers: 90, aum: 5e8 },
  { row: 'affluent', stage: 'declining', customers: 60, aum: 2e8 },
  { row: 'youth', stage: 'dormant', customers: 30, aum: 1e5 },
];

describe('the strategy map', () => {
  it('marks cells without an active strategy as gaps, most value at stake first, and ignores small cells', () => {
    const map = buildStrategyMap(
      cells,
      [
        s('payroll-growth', { kind: 'cell', segment: 'payroll', stage: 'growth' }),
        s('affluent-draft', { kind: 'cell', segment: 'affluent', stage: 'mature' }, 'sms', 'draft'),
      ],
      { dimension: 'primary' },
    );
    expect(map.rows).toEqual(['affluent', 'payroll', 'youth']);
    expect(map.cells).toHaveLength(3 * 9);
    expect(map.gaps.map((g) => `${g.row}/${g.stage}`)).toEqual([
      'affluent/mature', // a draft does not count
      'affluent/declining',
      'payroll/onboarding',
    ]);
    expect(map.cells.find((c) => c.row === 'youth' && c.stage === 'dormant')?.gap).toBe(false); // 30 < 50
    const byCustomers = buildStrategyMap(cells, [], { dimension: 'primary', rankBy: 'customers' });
    expect(byCustomers.gaps.map((g) => g.customers)).toEqual([400, 120, 90, 60]);
  });

  it('finds collisions: several active strategies on one cell and channel, not across channels', () => {
    const map = buildStrategyMap(
      cells,
      [
        s('a', { kind: 'cell', segment: 'payroll', stage: 'growth' }, 'sms'),
        s('b', { kind: 'cell', segment: 'payroll', stage: 'growth' }, 'sms'),
        s('c', { kind: 'cell', segment: 'payroll', stage: 'growth' }, 'call_out'),
      ],
      { dimension: 'primary' },
    );
    expect(map.collisions).toEqual([
      { row: 'payroll', stage: 'growth', channel: 'sms', strategies: ['a', 'b'] },
    ]);
  });

  it('names tier rows as dimension:value, and lists event and rule strategies in their own columns', () => {
    const map = buildStrategyMap(
      [{ row: '3', stage: 'mature', customers: 500, aum: 1e9 }],
      [
        s('tier3', { kind: 'cell', segment: 'aum_tier:3', stage: 'mature' }),
        s('maturing', { kind: 'event', event: 'wealth_maturing', withinDays: 3 }),
        s('seniors', { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 60 } }),
      ],
      { dimension: 'aum_tier' },
    );
    expect(map.cells.find((c) => c.stage === 'mature')?.strategies).toEqual(['tier3']);
    expect(map.gaps).toEqual([]);
    expect(map.events.find((e) => e.event === 'wealth_maturing')?.strategies).toEqual(['maturing']);
    expect(map.events.find((e) => e.event === 'complaint')?.strategies).toEqual([]);
    expect(map.ruleStrategies).toEqual(['seniors']);
  });

  it('lists the product scenario columns, and takes counted overlaps as the collisions', () => {
    const rule = {
      kind: 'rule',
      rule: { kind: 'cmp', field: 'age', op: '>=', value: 60 },
    } as const;
    const map = buildStrategyMap(
      cells,
      [
        s('a', { kind: 'cell', segment: 'payroll', stage: 'growth' }, 'sms', 'active', ['FUND01']),
        s('b', { kind: 'cell', segment: 'payroll', stage: 'growth' }, 'sms', 'active', [
          'FUND01',
          'INS02',
        ]),
        s('seniors', rule, 'sms', 'active', ['INS02']),
        s('old', rule, 'sms', 'retired', ['LOAN9']),
      ],
      {
        dimension: 'primary',
        overlaps: [
          {
            row: 'affluent',
            stage: 'mature',
            channel: 'sms',
            strategies: ['a', 'seniors'],
            customers: 12,
          },
          {
            row: 'payroll',
            stage: 'growth',
            channel: 'sms',
            strategies: ['a', 'b', 'seniors'],
            customers: 380,
          },
        ],
      },
    );
    expect(map.products).toEqual([
      { product: 'FUND01', strategies: ['a', 'b'] },
      { product: 'INS02', strategies: ['b', 'seniors'] },
    ]);
    // counted overlaps replace the by-name collisions, most customers first
    expect(map.collisions.map((c) => [c.row, c.customers])).toEqual([
      ['payroll', 380],
      ['affluent', 12],
    ]);
  });
});
