import {
  COMPARISONS,
  FEATURES,
  FEATURE_KEYS,
  FeatureFrame,
  MOT_EVENT_TYPES,
  TREND_METRICS,
  compileRuleSql,
  evaluateRule,
  parseRule,
  type Condition,
  type FeatureKey,
} from '@strata/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeatureInput } from './features.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';
import { ruleDialect } from './dialect.js';

// A small demo bank in SQLite: the same rows feed the in-memory engine and the SQL.
let db: StrataDb;
const frames = new Map<string, FeatureFrame>();
const AS_OF = ['2026-10', '2026-02'] as const;

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(
    db,
    { seed: 4, retail: 1_500, corporate: 150 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  for (const asOf of AS_OF) frames.set(asOf, new FeatureFrame(loadFeatureInput(db, asOf)));
});
afterAll(() => db.close());

const numberKeys = FEATURE_KEYS.filter((k) => FEATURES[k].type === 'number');
const booleanKeys = FEATURE_KEYS.filter((k) => FEATURES[k].type === 'boolean');
const categoryKeys = FEATURE_KEYS.filter((k) => FEATURES[k].type === 'category');

/** Thresholds by unit, plus values that occur in the data (so "=" and boundaries are hit exactly). */
const GRID: Record<string, number[]> = {
  rmb: [0, 100, 1_000, 5_000, 50_000, 100_000, 500_000, 2e6, 6e6],
  ratio: [-0.5, -0.3, -0.1, 0, 0.1, 0.3, 1, 1.5],
  days: [0, 30, 90, 180, 365, 1_000],
  count: [0, 1, 2, 3, 5, 10, 30],
  years: [18, 25, 35, 45, 60, 70],
  persons: [0, 10, 50, 100, 300, 1_000],
};
function numberValue(key: FeatureKey): fc.Arbitrary<number> {
  const def = FEATURES[key];
  const unit = def.type === 'number' ? def.unit : 'count';
  const column = frames.get('2026-10')?.number(key) ?? new Float64Array();
  const seen = [...column.filter((v) => !Number.isNaN(v)).slice(0, 400)];
  return seen.length > 0
    ? fc.oneof(fc.constantFrom(...(GRID[unit] ?? [0])), fc.constantFrom(...seen))
    : fc.constantFrom(...(GRID[unit] ?? [0]));
}

const numberLeaf = fc.constantFrom(...numberKeys).chain((field) =>
  fc.oneof(
    fc.record({
      kind: fc.constant('cmp' as const),
      field: fc.constant(field),
      op: fc.constantFrom(...COMPARISONS),
      value: numberValue(field),
    }),
    fc.tuple(numberValue(field), numberValue(field)).map(([a, b]) => ({
      kind: 'between' as const,
      field,
      min: Math.min(a, b),
      max: Math.max(a, b),
    })),
    fc
      .array(numberValue(field), { minLength: 1, maxLength: 3 })
      .map((values) => ({ kind: 'in' as const, field, values })),
  ),
);
const booleanLeaf = fc.record({
  kind: fc.constant('cmp' as const),
  field: fc.constantFrom(...booleanKeys),
  op: fc.constantFrom('=' as const, '!=' as const),
  value: fc.boolean(),
});
const categoryLeaf = fc.constantFrom(...categoryKeys).chain((field) => {
  const values =
    FEATURES[field].type === 'category'
      ? [...(FEATURES[field] as { values: readonly string[] }).values]
      : [];
  return fc.oneof(
    fc.record({
      kind: fc.constant('cmp' as const),
      field: fc.constant(field),
      op: fc.constantFrom('=' as const, '!=' as const),
      value: fc.constantFrom(...values),
    }),
    fc
      .subarray(values, { minLength: 1, maxLength: Math.min(3, values.length) })
      .map((vs) => ({ kind: 'in' as const, field, values: vs })),
  );
});
const nullLeaf = fc.record({
  kind: fc.constant('null' as const),
  field: fc.constantFrom(...FEATURE_KEYS),
});
const eventLeaf = fc.record({
  kind: fc.constant('event' as const),
  event: fc.constantFrom(...MOT_EVENT_TYPES),
  withinDays: fc.constantFrom(0, 7, 30, 90, 365),
});
const trendLeaf = fc.record({
  kind: fc.constant('trend' as const),
  metric: fc.constantFrom(...TREND_METRICS),
  months: fc.integer({ min: 1, max: 12 }),
  op: fc.constantFrom(...COMPARISONS),
  value: fc.constantFrom(...(GRID.ratio ?? [0])),
});

const { rule } = fc.letrec<{ rule: Condition }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLeaf,
    booleanLeaf,
    categoryLeaf,
    nullLeaf,
    eventLeaf,
    trendLeaf,
    fc.record({
      kind: fc.constant('and' as const),
      of: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('or' as const),
      of: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('not' as const), of: tie('rule') }),
  ),
}));

function inMemory(r: Condition, asOf: string): number[] {
  const frame = frames.get(asOf);
  if (!frame) throw new Error(asOf);
  const members = evaluateRule(r, frame);
  const ids: number[] = [];
  members.forEach((m, i) => m === 1 && ids.push(frame.input.customerIds[i] ?? -1));
  return ids;
}

function inDatabase(r: Condition, asOf: string): number[] {
  const { sql, params } = compileRuleSql(r, { dialect: ruleDialect(db), asOf });
  return db.sqlite
    .prepare(sql)
    .pluck()
    .all(...params) as number[];
}

describe('a rule run in memory and as SQL on the database (SQLite; PostgreSQL in test:pg)', () => {
  it('selects the same customers, row for row, for thousands of random rules', () => {
    let informative = 0;
    fc.assert(
      fc.property(rule, fc.constantFrom(...AS_OF), (r, asOf) => {
        expect(parseRule(r).ok).toBe(true);
        const memory = inMemory(r, asOf);
        expect(inDatabase(r, asOf)).toEqual(memory);
        const universe = frames.get(asOf)?.universe.reduce((a, b) => a + b, 0) ?? 0;
        if (memory.length > 0 && memory.length < universe) informative++;
      }),
      { numRuns: 2_000, seed: 20261122 },
    );
    // Most rules must split the bank, or agreement would prove little.
    expect(informative).toBeGreaterThan(800);
  }, 120_000); // thousands of rules on a real database: ~25 s on a busy CI machine
});
