import { describe, expect, it } from 'vitest';
import { FeatureFrame } from '../features/frame.js';
import { METRICS, type Metric } from '../features/catalog.js';
import { encodeCategory } from '../features/input.js';
import { NEVER } from '../lifecycle/frame.js';
import { dayOf } from '../util/dates.js';
import { DEFAULT_RISK_TIERS, tiersByRules } from './by-rules.js';

// Three retail customers, four months; as of 2026-10:
//   #0 AUM 100k → 65k over 3 months (-35 %): high risk;
//   #1 AUM 100k → 85k (-15 %): medium;
//   #2 AUM flat at 100k, active, balanced flows: low.
function frame(): FeatureFrame {
  const n = 3;
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(4 * n).fill(1)]),
  ) as Record<Metric, Float64Array>;
  const aum = [
    [100e3, 90e3, 80e3, 65e3],
    [100e3, 95e3, 90e3, 85e3],
    [100e3, 100e3, 100e3, 100e3],
  ];
  aum.forEach((row, i) => row.forEach((v, t) => (monthly.aum_avg[t * n + i] = v)));
  const lastTxnDay = new Int32Array(4 * n).fill(dayOf('2026-10-20'));
  const none = () => encodeCategory([null, null, null]);
  return new FeatureFrame({
    size: n,
    customerIds: Int32Array.from([1, 2, 3]),
    periods: ['2026-07', '2026-08', '2026-09', '2026-10'],
    asOf: '2026-10',
    linkedDay: new Int32Array(n),
    openedDay: new Int32Array(n),
    orgUnitIds: new Int32Array(n),
    closedDay: new Int32Array(n).fill(NEVER),
    fundedDay: new Int32Array(n),
    birthDay: new Int32Array(n).fill(NEVER),
    monthly,
    lastTxnDay,
    numbers: { employees: new Float64Array(n), revenue: new Float64Array(n) },
    booleans: {
      has_mortgage: new Uint8Array(n),
      has_credit_card: new Uint8Array(n),
      basic_account: new Uint8Array(n),
      listed: new Uint8Array(n),
      payroll_employer: new Uint8Array(n),
    },
    categories: {
      kind: encodeCategory(['retail', 'retail', 'retail']),
      gender: none(),
      life_stage: none(),
      enterprise_size: none(),
      chain_role: none(),
      institution_type: none(),
      industry_code: none(),
    },
    payrollEmployerPresent: new Uint8Array(n),
    lastEventDay: {},
  });
}

describe('tiersByRules', () => {
  it('gives each customer the first risk tier whose rule matches', () => {
    expect([...tiersByRules(frame(), DEFAULT_RISK_TIERS)]).toEqual([0, 1, 2]);
  });
});

// One customer per scenario, as of 2026-10 (its last day is 2026-10-31); everything neutral
// (flat AUM, balanced flows, active last week, no events) except what the scenario sets.
interface Scenario {
  aumNow?: number; // AUM was 100k three months before
  inflowShare?: number; // inflow / outflow over the three months
  recencyDays?: number;
  complaintDaysAgo?: number;
  movedDaysAgo?: number;
}
function riskOf(s: Scenario): string | undefined {
  const n = 1;
  const periods = ['2026-07', '2026-08', '2026-09', '2026-10'];
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(4).fill(1_000)]),
  ) as Record<Metric, Float64Array>;
  monthly.aum_avg.set([100e3, 100e3, 100e3, s.aumNow ?? 100e3]);
  monthly.txn_in_amount.fill(1_000 * (s.inflowShare ?? 1));
  const end = dayOf('2026-10-31');
  const lastTxnDay = new Int32Array(4).fill(end - (s.recencyDays ?? 7));
  const event = (daysAgo?: number) => Int32Array.of(daysAgo === undefined ? NEVER : end - daysAgo);
  const none = () => encodeCategory([null]);
  const f = new FeatureFrame({
    size: n,
    customerIds: Int32Array.of(1),
    periods,
    asOf: '2026-10',
    linkedDay: new Int32Array(n),
    openedDay: new Int32Array(n),
    orgUnitIds: new Int32Array(n),
    closedDay: new Int32Array(n).fill(NEVER),
    fundedDay: new Int32Array(n),
    birthDay: new Int32Array(n).fill(NEVER),
    monthly,
    lastTxnDay,
    numbers: { employees: new Float64Array(n), revenue: new Float64Array(n) },
    booleans: {
      has_mortgage: new Uint8Array(n),
      has_credit_card: new Uint8Array(n),
      basic_account: new Uint8Array(n),
      listed: new Uint8Array(n),
      payroll_employer: new Uint8Array(n),
    },
    categories: {
      kind: encodeCategory(['retail']),
      gender: none(),
      life_stage: none(),
      enterprise_size: none(),
      chain_role: none(),
      institution_type: none(),
      industry_code: none(),
    },
    payrollEmployerPresent: new Uint8Array(n),
    lastEventDay: {
      complaint: event(s.complaintDaysAgo),
      basic_account_moved: event(s.movedDaysAgo),
    },
  });
  return DEFAULT_RISK_TIERS[tiersByRules(f, DEFAULT_RISK_TIERS)[0] as number]?.id;
}

describe('DEFAULT_RISK_TIERS at every line', () => {
  it('is low risk with nothing wrong', () => {
    expect(riskOf({})).toBe('low');
  });
  it('is high from a 30 % AUM drop in 3 months, medium just short of it', () => {
    expect(riskOf({ aumNow: 70e3 })).toBe('high');
    expect(riskOf({ aumNow: 70_001 })).toBe('medium');
  });
  it('is high with a complaint in the last 90 days, not at 91', () => {
    expect(riskOf({ complaintDaysAgo: 90 })).toBe('high');
    expect(riskOf({ complaintDaysAgo: 91 })).toBe('low');
  });
  it('is high when the basic account moved away in the last 180 days, not at 181', () => {
    expect(riskOf({ movedDaysAgo: 180 })).toBe('high');
    expect(riskOf({ movedDaysAgo: 181 })).toBe('low');
  });
  it('is medium from a 10 % AUM drop, low just short of it', () => {
    expect(riskOf({ aumNow: 90e3 })).toBe('medium');
    expect(riskOf({ aumNow: 90_001 })).toBe('low');
  });
  it('is medium when inflow is under half the outflow, low at half', () => {
    expect(riskOf({ inflowShare: 0.4999 })).toBe('medium');
    expect(riskOf({ inflowShare: 0.5 })).toBe('low');
  });
  it('is medium after 90 quiet days, low at 89', () => {
    expect(riskOf({ recencyDays: 90 })).toBe('medium');
    expect(riskOf({ recencyDays: 89 })).toBe('low');
  });
});
