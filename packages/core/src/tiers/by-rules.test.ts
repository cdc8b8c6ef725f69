import { describe, expect, it } from 'vitest';
import { FeatureFrame } from '../features/frame.js';
import { METRICS, type Metric } from '../features/catalog.js';
import { encodeCategory } from '../features/input.js';
import { NEVER } from '../lifecycle/frame.js';
import { dayOf } from '../util/dates.js';
import { DEFAULT_RISK_TIERS, tiersByRules } from './by-rules.js';

// Retail customers as of 2026-10 (its last day is 2026-10-31), one per scenario; everything
// neutral (flat AUM, balanced flows, active last week, no events) except what a scenario sets.
interface Scenario {
  aumNow?: number; // AUM was 100k three months before
  inflowShare?: number; // inflow / outflow over the three months
  recencyDays?: number;
  complaintDaysAgo?: number;
  movedDaysAgo?: number;
}

function frameOf(scenarios: readonly Scenario[]): FeatureFrame {
  const n = scenarios.length;
  const periods = ['2026-07', '2026-08', '2026-09', '2026-10'];
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(4 * n).fill(1_000)]),
  ) as Record<Metric, Float64Array>;
  const end = dayOf('2026-10-31');
  const lastTxnDay = new Int32Array(4 * n);
  const complaint = new Int32Array(n).fill(NEVER);
  const moved = new Int32Array(n).fill(NEVER);
  scenarios.forEach((s, i) => {
    [100e3, 100e3, 100e3, s.aumNow ?? 100e3].forEach((v, t) => (monthly.aum_avg[t * n + i] = v));
    for (let t = 0; t < 4; t++) {
      monthly.txn_in_amount[t * n + i] = 1_000 * (s.inflowShare ?? 1);
      lastTxnDay[t * n + i] = end - (s.recencyDays ?? 7);
    }
    if (s.complaintDaysAgo !== undefined) complaint[i] = end - s.complaintDaysAgo;
    if (s.movedDaysAgo !== undefined) moved[i] = end - s.movedDaysAgo;
  });
  const none = () => encodeCategory(scenarios.map(() => null));
  return new FeatureFrame({
    size: n,
    customerIds: Int32Array.from(scenarios, (_, i) => i + 1),
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
      kind: encodeCategory(scenarios.map(() => 'retail')),
      gender: none(),
      life_stage: none(),
      enterprise_size: none(),
      chain_role: none(),
      institution_type: none(),
      industry_code: none(),
    },
    payrollEmployerPresent: new Uint8Array(n),
    lastEventDay: { complaint, basic_account_moved: moved },
  });
}

const riskOf = (s: Scenario) =>
  DEFAULT_RISK_TIERS[tiersByRules(frameOf([s]), DEFAULT_RISK_TIERS)[0] as number]?.id;

describe('tiersByRules', () => {
  it('gives each customer the first risk tier whose rule matches', () => {
    // AUM −35 % in 3 months: high; −15 %: medium; flat and active: low.
    const frame = frameOf([{ aumNow: 65e3 }, { aumNow: 85e3 }, {}]);
    expect([...tiersByRules(frame, DEFAULT_RISK_TIERS)]).toEqual([0, 1, 2]);
  });
});

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
