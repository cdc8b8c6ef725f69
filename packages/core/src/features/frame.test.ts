import { describe, expect, it } from 'vitest';
import { METRICS, type Metric } from './catalog.js';
import { FeatureFrame } from './frame.js';
import { encodeCategory, type FeatureInput } from './input.js';
import { NEVER } from '../lifecycle/frame.js';
import { dayOf } from '../util/dates.js';

// Two customers over four months (2026-07 … 2026-10), features as of 2026-10 (ends 2026-10-31):
//   #0 retail, born 1966-11-15 (59 on 2026-10-31), AUM 100k → 90k → 80k → 120k, 10 own txns a month,
//      last own txn 2026-10-21, a large inflow on 2026-10-05;
//   #1 corporate, joined 2026-09-10: no July or August snapshot, deposits 1M of which 600k settlement.
function input(): FeatureInput {
  const periods = ['2026-07', '2026-08', '2026-09', '2026-10'];
  const n = 2;
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(8).fill(Number.NaN)]),
  ) as Record<Metric, Float64Array>;
  const set = (m: Metric, i: number, values: (number | null)[]) =>
    values.forEach((v, t) => (monthly[m][t * n + i] = v ?? Number.NaN));
  for (const m of METRICS) {
    set(m, 0, [0, 0, 0, 0]);
    set(m, 1, [null, null, 0, 0]);
  }
  set('aum_avg', 0, [100e3, 90e3, 80e3, 120e3]);
  set('active_txn_count', 0, [10, 10, 10, 10]);
  set('txn_in_amount', 0, [5e3, 5e3, 5e3, 45e3]);
  set('txn_out_amount', 0, [15e3, 15e3, 15e3, 5e3]);
  set('aum_avg', 1, [null, null, 1e6, 1e6]);
  set('deposits_avg', 1, [null, null, 1e6, 1e6]);
  set('settlement_deposits', 1, [null, null, 6e5, 6e5]);
  const lastTxnDay = new Int32Array(8).fill(NEVER);
  lastTxnDay[3 * n] = dayOf('2026-10-21');
  return {
    size: n,
    customerIds: Int32Array.from([1, 2]),
    periods,
    asOf: '2026-10',
    linkedDay: Int32Array.from([dayOf('2020-01-01'), dayOf('2026-09-10')]),
    openedDay: Int32Array.from([dayOf('2020-01-01'), dayOf('2026-09-10')]),
    orgUnitIds: Int32Array.from([1, 1]),
    closedDay: new Int32Array(2).fill(NEVER),
    fundedDay: Int32Array.from([dayOf('2020-01-01'), dayOf('2026-09-10')]),
    birthDay: Int32Array.from([dayOf('1966-11-15'), NEVER]),
    monthly,
    lastTxnDay,
    numbers: {
      employees: Float64Array.from([Number.NaN, 40]),
      revenue: Float64Array.from([Number.NaN, 8e6]),
    },
    booleans: {
      has_mortgage: new Uint8Array(2),
      has_credit_card: new Uint8Array(2),
      basic_account: Uint8Array.from([0, 1]),
      listed: new Uint8Array(2),
      payroll_employer: new Uint8Array(2),
    },
    categories: {
      kind: encodeCategory(['retail', 'corporate']),
      gender: encodeCategory(['F', null]),
      life_stage: encodeCategory(['middle', null]),
      enterprise_size: encodeCategory([null, 'small']),
      chain_role: encodeCategory([null, null]),
      institution_type: encodeCategory([null, null]),
      industry_code: encodeCategory([null, 'C3670']),
    },
    payrollEmployerPresent: new Uint8Array(2),
    lastEventDay: { large_inflow: Int32Array.from([dayOf('2026-10-05'), NEVER]) },
  };
}

describe('FeatureFrame', () => {
  const frame = new FeatureFrame(input());

  it('computes trends, RFM and flows from the monthly history', () => {
    // 120k against 100k three months back: +20 %; 6 months back is outside the history.
    expect(frame.number('aum_trend_3m')[0]).toBeCloseTo(0.2, 12);
    expect(Number.isNaN(frame.number('aum_trend_6m')[0] ?? 0)).toBe(true);
    expect(frame.number('recency_days')[0]).toBe(10);
    expect(frame.number('frequency_90d')[0]).toBe(30);
    expect(frame.number('monetary_3m')[0]).toBeCloseTo((90e3 + 80e3 + 120e3) / 3, 9);
    // In: 5k + 5k + 45k = 55k; out: 15k + 15k + 5k = 35k.
    expect(frame.number('inflow_outflow_ratio')[0]).toBeCloseTo(55 / 35, 12);
    expect(frame.number('net_flow_3m')[0]).toBe(20e3);
  });

  it('reads age in whole years at the month end and days since an event', () => {
    expect(frame.number('age')[0]).toBe(59);
    expect(frame.daysSinceEvent('large_inflow')[0]).toBe(26);
    expect(Number.isNaN(frame.daysSinceEvent('large_inflow')[1] ?? 0)).toBe(true);
  });

  it('averages over the months present for a customer who joined recently', () => {
    // #1 has September and October only: mean of 1M and 1M; July is missing, so no 3-month trend.
    expect(frame.number('monetary_3m')[1]).toBe(1e6);
    expect(Number.isNaN(frame.number('aum_trend_3m')[1] ?? 0)).toBe(true);
  });

  it('computes corporate deposit structure, tiers and industry sections', () => {
    expect(frame.number('settlement_share')[1]).toBeCloseTo(0.6, 12);
    expect(
      frame.category('industry_section').values[frame.category('industry_section').codes[1] ?? -1],
    ).toBe('C');
    const tiers = frame.category('aum_tier');
    expect(tiers.values[tiers.codes[0] ?? -1]).toBe('gold');
    expect(tiers.values[tiers.codes[1] ?? -1]).toBe('wealth');
  });
});
