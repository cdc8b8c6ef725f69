import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTACT_POLICY } from './arbitrate.js';
import { METRICS, type Metric } from '../features/catalog.js';
import { FeatureFrame } from '../features/frame.js';
import { encodeCategory, type FeatureInput } from '../features/input.js';
import { NEVER } from '../lifecycle/frame.js';
import { dayOf } from '../util/dates.js';
import { generateLists } from './lists.js';
import {
  ScorerRegistry,
  logisticScorer,
  selectByModel,
  type ModelSelection,
  type Scorer,
} from './scoring.js';

// Two customers as of 2026-10: #1 retail, 59, AUM 120k, a mortgage; #2 corporate, no age, AUM 1M.
function frame(): FeatureFrame {
  const periods = ['2026-09', '2026-10'];
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(4).fill(0)]),
  ) as Record<Metric, Float64Array>;
  monthly.aum_avg.set([100e3, 1e6, 120e3, 1e6]);
  const day = dayOf('2020-01-01');
  const input: FeatureInput = {
    size: 2,
    customerIds: Int32Array.from([1, 2]),
    periods,
    asOf: '2026-10',
    linkedDay: Int32Array.from([day, day]),
    openedDay: Int32Array.from([day, day]),
    orgUnitIds: Int32Array.from([1, 1]),
    closedDay: new Int32Array(2).fill(NEVER),
    fundedDay: Int32Array.from([day, day]),
    birthDay: Int32Array.from([dayOf('1966-11-15'), NEVER]),
    monthly,
    lastTxnDay: new Int32Array(4).fill(NEVER),
    numbers: { employees: new Float64Array(2).fill(Number.NaN), revenue: new Float64Array(2) },
    booleans: {
      has_mortgage: Uint8Array.from([1, 0]),
      has_credit_card: new Uint8Array(2),
      basic_account: new Uint8Array(2),
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
    lastEventDay: {},
  };
  return new FeatureFrame(input);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('scorers', () => {
  it('a logistic model scores numbers (log1p, missing), booleans and category values', () => {
    const scorer = logisticScorer({
      name: 'wealth-propensity',
      version: '2026.10',
      intercept: -2,
      terms: [
        { feature: 'age', weight: 0.01, missing: 40 },
        { feature: 'aum', weight: 0.1, transform: 'log1p' },
        { feature: 'has_mortgage', weight: 0.7 },
        { feature: 'kind', equals: 'retail', weight: 0.5 },
      ],
    });
    expect(scorer.features).toEqual(['age', 'aum', 'has_mortgage', 'kind']);
    const scores = scorer.score(frame());
    expect(scores[0]).toBeCloseTo(sigmoid(-2 + 0.59 + 0.1 * Math.log1p(120e3) + 0.7 + 0.5), 12);
    expect(scores[1]).toBeCloseTo(sigmoid(-2 + 0.4 + 0.1 * Math.log1p(1e6)), 12);
  });

  it('a model naming a feature the wrong way is refused with the reason', () => {
    expect(() =>
      logisticScorer({
        name: 'x',
        version: '1',
        intercept: 0,
        terms: [{ feature: 'kind', weight: 1 }],
      }),
    ).toThrow(/"kind" is a category feature: give the value it equals/);
    expect(() =>
      logisticScorer({
        name: 'x',
        version: '1',
        intercept: 0,
        terms: [{ feature: 'aum', equals: 'high', weight: 1 }],
      }),
    ).toThrow(/"aum" is not a category feature/);
    expect(() =>
      logisticScorer({
        name: 'x',
        version: '1',
        intercept: 0,
        terms: [{ feature: 'no_such' as 'aum', weight: 1 }],
      }),
    ).toThrow();
  });

  it('the registry swaps a model by name and refuses clashes and unknown features', () => {
    const v1 = logisticScorer({
      name: 'churn',
      version: '1',
      intercept: 0,
      terms: [{ feature: 'age', weight: 1 }],
    });
    const v2 = { ...v1, version: '2' };
    const registry = new ScorerRegistry([v1]);
    expect(() => registry.register(v2)).toThrow(/registered already/);
    registry.register(v2, { replace: true });
    expect(registry.get('churn')?.version).toBe('2');
    const odd: Scorer = { ...v1, name: 'odd', features: ['nope' as 'age'] };
    expect(() => registry.register(odd)).toThrow(/reads "nope", which is not a feature/);
    expect(() => registry.register({ ...v1, name: 'Bad Name' })).toThrow(/lower-case/);
    expect(registry.list().map((s) => s.name)).toEqual(['churn']);
    expect(registry.unregister('churn')).toBe(true);
    expect(registry.get('churn')).toBeUndefined();
  });
});

const pool = fc
  .uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 0, maxLength: 300 })
  .chain((ids) =>
    fc.record({
      ids: fc.constant(ids),
      scores: fc.array(
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)),
        { minLength: ids.length, maxLength: ids.length },
      ),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      compare: fc.boolean(),
    }),
  );

describe('model selection (模型组 vs 非模型组)', () => {
  it('the model group is the top share by score; the rule group is as large, disjoint, score-blind and reproducible', () => {
    fc.assert(
      fc.property(pool, ({ ids, scores, share, compare }) => {
        const selection: ModelSelection = { scorer: 'm', select: { kind: 'top', share }, compare };
        const out = selectByModel(ids, scores, selection, 'wealth');
        const model = ids.filter((id) => out.get(id) === 'model');
        const rule = ids.filter((id) => out.get(id) === 'rule');
        const scorable = ids.filter((_, i) => !Number.isNaN(scores[i]));
        expect(model.length).toBe(Math.min(scorable.length, Math.round(share * ids.length)));
        const scoreOf = new Map(ids.map((id, i) => [id, scores[i] as number]));
        const lowestChosen = Math.min(...model.map((id) => scoreOf.get(id) as number));
        for (const id of scorable)
          if (!out.has(id) || out.get(id) === 'rule')
            expect(scoreOf.get(id)).toBeLessThanOrEqual(lowestChosen);
        for (const id of model) expect(Number.isNaN(scoreOf.get(id))).toBe(false);
        expect(rule.length).toBe(compare ? Math.min(model.length, ids.length - model.length) : 0);
        expect(selectByModel(ids, scores, selection, 'wealth')).toEqual(out);
        // the rule group does not look at scores: rescoring the rest changes nothing
        const rescored = ids.map((id, i) =>
          out.get(id) === 'model' || Number.isNaN(scores[i]) ? (scores[i] as number) : -1,
        );
        const again = selectByModel(ids, rescored, selection, 'wealth');
        expect(ids.filter((id) => again.get(id) === 'rule')).toEqual(rule);
      }),
    );
  });

  it('a threshold takes every customer scoring at least the minimum', () => {
    const out = selectByModel(
      [5, 6, 7, 8],
      [0.9, 0.2, Number.NaN, 0.6],
      { scorer: 'm', select: { kind: 'threshold', min: 0.5 }, compare: true },
      'k',
    );
    expect([...out.entries()].filter(([, g]) => g === 'model').map(([id]) => id)).toEqual([5, 8]);
    expect([...out.values()].filter((g) => g === 'rule')).toHaveLength(2);
  });

  it('lists keep each customer’s group and count them per group', () => {
    const ids = Int32Array.from({ length: 2_000 }, (_, k) => k + 1);
    const scores = Float64Array.from(ids, (id) => (id % 97) / 97);
    const selection = selectByModel(
      ids,
      scores,
      { scorer: 'm', select: { kind: 'top', share: 0.25 }, compare: true },
      'wealth',
    );
    const { entries, summary } = generateLists(
      [
        {
          strategyKey: 'wealth',
          version: 1,
          priority: 50,
          channel: 'sms',
          controlShare: 0.1,
          audience: Int32Array.from(selection.keys()).sort(),
          selection,
        },
      ],
      DEFAULT_CONTACT_POLICY,
      { mayContact: () => true, lastRefusalDay: () => undefined, contactsThisPeriod: () => 0 },
      20_400,
    );
    expect(summary[0]?.selected).toEqual({ model: 500, rule: 500 });
    for (const e of entries) expect(e.selection).toBe(selection.get(e.customerId));
    // both groups have their own control customers, at about the control share
    for (const group of ['model', 'rule'] as const) {
      const control = entries.filter((e) => e.selection === group && e.arm === 'control').length;
      expect(Math.abs(control - 50)).toBeLessThan(3 * Math.sqrt(500 * 0.1 * 0.9));
    }
  });
});
