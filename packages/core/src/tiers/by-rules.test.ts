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
