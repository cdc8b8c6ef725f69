import { describe, expect, it } from 'vitest';
import { periodRange } from '../util/dates.js';
import { evaluateLifecycle, explainLifecycle, LIFECYCLE_REASONS } from './evaluate.js';
import { DEFAULT_LIFECYCLE_CONFIG, lifecycleConfig } from './config.js';
import { describeLifecycle, stageDefinitions } from './describe.js';
import { frameOf, type CustomerSpec } from './fixture.test-helpers.js';
import { stageOf } from './stages.js';
import { NOT_LINKED } from './frame.js';

// Ten months, 2026-01 … 2026-10; the last period ends on 2026-10-31.
const periods = periodRange('2026-10', 10);
const LAST = periods.length - 1;

/** Stage and reason of one customer in the last period. */
function placeOf(spec: CustomerSpec, config = lifecycleConfig()) {
  const frame = frameOf(periods, [spec]);
  const { stages, reasons } = evaluateLifecycle(frame, config);
  const stage = stageOf(stages[LAST]?.[0] ?? 255);
  const reason = LIFECYCLE_REASONS[reasons[LAST]?.[0] ?? 255];
  return { stage, reason };
}

// AUM that is flat at 100k for every month but the last four, which are given.
const tail = (a: number, b: number, c: number, d: number) => [
  100e3,
  100e3,
  100e3,
  100e3,
  100e3,
  100e3,
  a,
  b,
  c,
  d,
];

describe('evaluateLifecycle', () => {
  it('places a closed relationship in churned', () => {
    expect(placeOf({ aum: 100e3, closed: '2026-09-15' })).toEqual({
      stage: 'churned',
      reason: 'closed',
    });
  });

  it('does not count a closure after the period as churned', () => {
    expect(placeOf({ aum: 100e3, closed: '2026-11-01' }).stage).not.toBe('churned');
  });

  it('places a customer whose AUM fell to about zero in churned', () => {
    expect(placeOf({ aum: tail(100e3, 50e3, 1e3, 100) })).toEqual({
      stage: 'churned',
      reason: 'zero_aum',
    });
    // 101 RMB is just above the 100 RMB "about zero" line.
    expect(placeOf({ aum: tail(100e3, 50e3, 1e3, 101) }).stage).not.toBe('churned');
  });

  it('places a customer linked only by payroll or card in prospect', () => {
    expect(placeOf({ opened: null, aum: 0 })).toEqual({
      stage: 'prospect',
      reason: 'no_debit_account',
    });
  });

  it('places an account that was never funded in prospect once it is no longer new', () => {
    expect(placeOf({ opened: '2025-01-01', aum: 0 })).toEqual({
      stage: 'prospect',
      reason: 'never_funded',
    });
    expect(placeOf({ opened: '2026-10-01', aum: 0 })).toEqual({
      stage: 'onboarding',
      reason: 'new_customer',
    });
  });

  it('places a dormant customer who transacts again in win-back', () => {
    // Last transaction 2026-02-01: dormant at the end of September (241 days), active in October.
    const lastTxn = [...periods.slice(0, 9).map(() => '2026-01-20'), '2026-10-05'];
    lastTxn[1] = '2026-02-01';
    for (let t = 2; t < 9; t++) lastTxn[t] = '2026-02-01';
    const frame = frameOf(periods, [{ aum: 100e3, lastTxn }]);
    const { stages } = evaluateLifecycle(frame);
    expect(stageOf(stages[8]?.[0] ?? 255)).toBe('dormant');
    expect(stageOf(stages[9]?.[0] ?? 255)).toBe('winback');
  });

  it('places a churned customer who returns with money and activity in win-back', () => {
    expect(placeOf({ aum: tail(100e3, 80e3, 0, 20e3) })).toEqual({
      stage: 'winback',
      reason: 'reactivated',
    });
  });

  it('places a customer with no customer-initiated transaction for 180 days or more in dormant', () => {
    const idle = (date: string) => periods.map(() => date);
    // 2026-10-31 minus 2026-05-04 is 180 days: dormant. One day later is 179 days: not.
    expect(placeOf({ aum: 100e3, lastTxn: idle('2026-05-04') })).toEqual({
      stage: 'dormant',
      reason: 'no_recent_txn',
    });
    expect(placeOf({ aum: 100e3, lastTxn: idle('2026-05-05') }).stage).not.toBe('dormant');
  });

  it('counts a customer who never transacted as idle since the account opened', () => {
    expect(
      placeOf({ aum: 100e3, opened: '2025-06-01', lastTxn: periods.map(() => null) }).stage,
    ).toBe('dormant');
  });

  it('places a customer of at most 90 days in onboarding, and of 91 days in honeymoon', () => {
    // 2026-10-31 minus 2026-08-02 is 90 days.
    expect(placeOf({ aum: 20e3, opened: '2026-08-02' })).toEqual({
      stage: 'onboarding',
      reason: 'new_customer',
    });
    expect(placeOf({ aum: 20e3, opened: '2026-08-01' })).toEqual({
      stage: 'honeymoon',
      reason: 'honeymoon_tenure',
    });
  });

  it('places a customer of 3 to 6 months (up to 183 days) in honeymoon', () => {
    // 2026-10-31 minus 2026-04-01 is 213 days: past the honeymoon; 2026-05-01 is 183 days: inside.
    expect(placeOf({ aum: 20e3, opened: '2026-05-01' }).stage).toBe('honeymoon');
    expect(placeOf({ aum: 20e3, opened: '2026-04-30' }).stage).not.toBe('honeymoon');
  });

  it('places a customer whose AUM fell 30% or more in 3 months in declining', () => {
    // Three months back (2026-07) AUM was 100k.
    expect(placeOf({ aum: tail(100e3, 90e3, 80e3, 70e3) })).toEqual({
      stage: 'declining',
      reason: 'aum_drop',
    });
    expect(placeOf({ aum: tail(100e3, 90e3, 80e3, 70_001) }).reason).not.toBe('aum_drop');
  });

  it('places a customer with three months of net outflow worth 10% of AUM in declining', () => {
    const flow = [0, 0, 0, 0, 0, 0, 0, -4e3, -3e3, -3e3]; // 10k out of 100k
    expect(placeOf({ aum: 100e3, flow })).toEqual({
      stage: 'declining',
      reason: 'sustained_outflow',
    });
    const twoMonths = [0, 0, 0, 0, 0, 0, 0, 0, -5e3, -5e3];
    expect(placeOf({ aum: 100e3, flow: twoMonths }).stage).not.toBe('declining');
    const small = [0, 0, 0, 0, 0, 0, 0, -3e3, -3e3, -3_999]; // 9,999 out of 100k
    expect(placeOf({ aum: 100e3, flow: small }).stage).not.toBe('declining');
  });

  it('places a customer whose AUM rose 10% or more in 3 months in growth', () => {
    expect(placeOf({ aum: tail(100e3, 104e3, 107e3, 110e3) })).toEqual({
      stage: 'growth',
      reason: 'aum_rise',
    });
    expect(placeOf({ aum: tail(100e3, 104e3, 107e3, 109_999), products: 3 }).stage).toBe('mature');
  });

  it('places a customer who moved up a tier in growth even on a small rise', () => {
    // 48k (mass) to 51k (gold) is +6.25%.
    const aum = [48e3, 48e3, 48e3, 48e3, 48e3, 48e3, 48e3, 49e3, 50e3, 51e3];
    expect(placeOf({ aum, products: 3 })).toEqual({ stage: 'growth', reason: 'tier_upgrade' });
  });

  it('places a stable customer with three or more product types in mature', () => {
    expect(placeOf({ aum: tail(100e3, 100e3, 100e3, 90e3), products: 3 })).toEqual({
      stage: 'mature',
      reason: 'stable_deep',
    });
    expect(placeOf({ aum: 100e3, products: 2 })).toEqual({ stage: 'growth', reason: 'fallback' });
  });

  it('puts customers no rule places in the configured fallback stage', () => {
    expect(
      placeOf({ aum: 100e3, products: 1 }, lifecycleConfig({ fallbackStage: 'mature' })),
    ).toEqual({
      stage: 'mature',
      reason: 'fallback',
    });
  });

  it('reads every threshold from the configuration', () => {
    const idle = periods.map(() => '2026-08-01'); // 91 days idle
    expect(placeOf({ aum: 100e3, lastTxn: idle }).stage).not.toBe('dormant');
    expect(placeOf({ aum: 100e3, lastTxn: idle }, lifecycleConfig({ dormantDays: 90 })).stage).toBe(
      'dormant',
    );
  });

  it('refuses a configuration whose onboarding outlasts the honeymoon', () => {
    expect(() => lifecycleConfig({ onboardingDays: 200 })).toThrow(/onboardingDays/);
  });
});

describe('evaluateLifecycle and when a customer became known', () => {
  it('leaves customers out of periods before they were linked', () => {
    const frame = frameOf(periods, [{ aum: 20e3, opened: '2026-09-10' }]);
    frame.linkedDay[0] = frame.openedDay[0] ?? 0;
    const { stages } = evaluateLifecycle(frame);
    expect(stages[7]?.[0]).toBe(NOT_LINKED); // 2026-08
    expect(stageOf(stages[8]?.[0] ?? 255)).toBe('onboarding'); // 2026-09
    expect(explainLifecycle(frame, 0, 7)).toBeNull();
  });

  it('counts AUM held before the first period, so an empty account then is churned, not a prospect', () => {
    const frame = frameOf(periods, [{ aum: 0, opened: '2015-03-01' }]);
    expect(stageOf(evaluateLifecycle(frame).stages[LAST]?.[0] ?? 255)).toBe('prospect');
    frame.fundedBeforeDay[0] = frame.openedDay[0] ?? 0;
    expect(stageOf(evaluateLifecycle(frame).stages[LAST]?.[0] ?? 255)).toBe('churned');
    expect(explainLifecycle(frame, 0, LAST)?.reason).toBe('zero_aum');
  });
});

describe('explainLifecycle', () => {
  it('agrees with evaluateLifecycle and gives the figures behind the rule', () => {
    const frame = frameOf(periods, [
      { aum: tail(100e3, 90e3, 80e3, 66e3) },
      { aum: 100e3, products: 4 },
    ]);
    const { stages } = evaluateLifecycle(frame);
    for (let i = 0; i < 2; i++) {
      expect(explainLifecycle(frame, i, LAST)?.stage).toBe(stageOf(stages[LAST]?.[i] ?? 255));
    }
    const why = explainLifecycle(frame, 0, LAST);
    if (!why) throw new Error('customer 0 is known in the last period');
    expect(why.figures.aumBase).toBe(100e3);
    expect(why.figures.aumChange).toBeCloseTo(-0.34, 10);
    expect(describeLifecycle(why, 'en')).toBe('Declining: AUM fell 34.0% (100K → 66K).');
    expect(describeLifecycle(why, 'zh-CN')).toBe('衰退：资产下降 34.0%（10万 → 6.6万）。');
  });
});

describe('stage definitions', () => {
  it('say every stage’s rule with the configured thresholds, in rule order', () => {
    const zh = stageDefinitions(lifecycleConfig({ dormantDays: 365 }), 'zh-CN');
    expect(zh.map((d) => d.stage)).toEqual([
      'churned',
      'prospect',
      'winback',
      'dormant',
      'onboarding',
      'honeymoon',
      'declining',
      'growth',
      'mature',
      'growth',
    ]);
    expect(zh.find((d) => d.stage === 'dormant')?.rule).toBe(
      '365 天以上没有客户主动交易（结息不算）',
    );
    const en = stageDefinitions(DEFAULT_LIFECYCLE_CONFIG, 'en');
    expect(en.find((d) => d.stage === 'declining')?.rule).toBe(
      'assets down ≥ 30% over 3 months, or 3 months of net outflow worth ≥ 10%',
    );
  });
});
