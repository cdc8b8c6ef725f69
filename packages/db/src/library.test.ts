import {
  FeatureFrame,
  STARTER_SEGMENTS,
  compileRuleSql,
  evaluateRule,
  sqlite,
  type Condition,
} from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { loadFeatureInput } from './features.js';
import { listSegments } from './queries/segments.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';

// A demo bank big enough for the rarer segments (anchors, listed firms, private banking).
let db: StrataDb;
let frame: FeatureFrame;
beforeAll(() => {
  db = openDatabase(':memory:');
  seedDemoBank(
    db,
    { seed: 12, retail: 4_000, corporate: 1_000 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  frame = new FeatureFrame(loadFeatureInput(db, '2026-10'));
});
afterAll(() => db.close());

describe('the starter segment library on the demo bank', () => {
  it('is saved with the demo bank', () => {
    expect(
      listSegments(db)
        .map((s) => s.key)
        .sort(),
    ).toEqual(STARTER_SEGMENTS.map((s) => s.key).sort());
  });

  it('gives every segment some customers but not all, and the same count in memory and in SQL', () => {
    const universe = frame.universe.reduce((a, b) => a + b, 0);
    for (const s of STARTER_SEGMENTS) {
      const memory = evaluateRule(s.rule, frame).reduce((a, b) => a + b, 0);
      const { sql, params } = compileRuleSql(s.rule as Condition, {
        dialect: sqlite,
        asOf: '2026-10',
      });
      expect(
        db.sqlite
          .prepare(`SELECT count(*) FROM (${sql})`)
          .pluck()
          .get(...params),
        s.key,
      ).toBe(memory);
      expect(memory, s.key).toBeGreaterThan(0);
      expect(memory, s.key).toBeLessThan(universe);
    }
  });
});
