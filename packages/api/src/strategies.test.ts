import { requiredAudience } from '@strata/core';
import { type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs } from './test-callers.js';
import { openTestDatabase } from '@strata/db/testing';

let db: StrataDb;
const clock = () => new Date('2026-11-22T09:00:00Z');
const payroll = {
  name: '代发工资激活',
  objective: 'active_customers',
  audience: { kind: 'cell', segment: 'payroll', stage: 'onboarding' },
  channel: 'call_out',
  schedule: { kind: 'monthly', day: 5 },
  priority: 60,
  controlShare: 0.1,
  kpi: { metric: 'conversion_rate', target: 0.08 },
  evaluationDays: 60,
  owner: 'chen.hq',
} as const;

beforeAll(() => {
  db = openTestDatabase();
});
afterAll(() => db.close());

describe('strategies over the API', () => {
  it('a strategist creates, edits (a new version) and activates a strategy; everyone may read it', async () => {
    const hq = callerAs(db, 'strategist', clock);
    const made = await hq.strategies.create({ key: 'payroll-activation', definition: payroll });
    expect(made).toMatchObject({ status: 'draft', currentVersion: 1 });
    const edited = await hq.strategies.update({
      key: 'payroll-activation',
      definition: { ...payroll, priority: 70 },
    });
    expect(edited.currentVersion).toBe(2);
    await hq.strategies.setStatus({ key: 'payroll-activation', status: 'active' });
    const viewer = callerAs(db, 'viewer', clock);
    const read = await viewer.strategies.get({ key: 'payroll-activation', version: 1 });
    expect(read).toMatchObject({ status: 'active', currentVersion: 2, version: 1 });
    expect(read.definition.priority).toBe(60);
    expect(read.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('refuses a bad definition with the field, a viewer’s edit, and an impossible move', async () => {
    const hq = callerAs(db, 'strategist', clock);
    await expect(
      hq.strategies.create({
        key: 'bad',
        definition: { ...payroll, controlShare: 0.8 },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      callerAs(db, 'viewer', clock).strategies.create({ key: 'mine', definition: payroll }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      hq.strategies.setStatus({ key: 'payroll-activation', status: 'draft' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/cannot go from active to draft/),
    });
    await expect(hq.strategies.get({ key: 'nothing-here' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the strategy map over the API', () => {
  let bank: StrataDb;
  beforeAll(() => {
    bank = openTestDatabase();
    seedDemoBank(bank, { seed: 12, retail: 1_500, corporate: 150 }, undefined, clock);
  });
  afterAll(() => bank.close());

  it('shows the bank by primary segment × stage; a strategy on the top gap closes it', async () => {
    const hq = callerAs(bank, 'strategist', clock);
    const before = await hq.strategies.map();
    const total = bank.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
      .pluck()
      .get(before.runId) as number;
    expect(before.cells.reduce((a, c) => a + c.customers, 0)).toBe(total);
    expect(before.gaps.length).toBeGreaterThan(0);
    const top = before.gaps[0] as (typeof before.gaps)[number];
    // most AUM at stake first
    expect(before.gaps.every((g) => g.aum <= top.aum)).toBe(true);
    await hq.strategies.create({
      key: 'top-gap',
      definition: {
        ...payroll,
        audience: { kind: 'cell', segment: top.row, stage: top.stage },
      },
    });
    expect((await hq.strategies.map()).gaps[0]).toEqual(top); // a draft does not close it
    await hq.strategies.setStatus({ key: 'top-gap', status: 'active' });
    const after = await hq.strategies.map();
    expect(after.gaps.find((g) => g.row === top.row && g.stage === top.stage)).toBeUndefined();
    expect(after.cells.find((c) => c.row === top.row && c.stage === top.stage)?.strategies).toEqual(
      ['top-gap'],
    );
    expect(after.gapCount).toBe(before.gapCount - 1);
    // the gaps listed are the first `gapLimit` (20 by default) of all of them, in the same order
    const all = await hq.strategies.map({ gapLimit: 10_000 });
    expect(all.gaps.length).toBe(all.gapCount);
    expect(all.gaps.length).toBe(all.cells.filter((c) => c.gap).length);
    expect(after.gaps).toEqual(all.gaps.slice(0, 20));
    expect(all.gapCount).toBeGreaterThan(3);
    expect((await hq.strategies.map({ gapLimit: 3 })).gaps).toEqual(all.gaps.slice(0, 3));
  });

  it('plans a test: the audience an uplift needs, and the uplift an audience can detect', async () => {
    const viewer = callerAs(db, 'viewer', clock);
    const plan = await viewer.outcomes.plan({ baseline: 0.1, controlShare: 0.1, uplift: 0.02 });
    expect(plan.audience).toBe(
      requiredAudience(0.02, { baseline: 0.1, controlShare: 0.1, alpha: 0.05, power: 0.8 }),
    );
    expect(plan.treatment + plan.control).toBe(plan.audience);
    expect(plan.minimumDetectableEffect).toBeLessThanOrEqual(0.02);
    expect(plan.minimumDetectableEffect).toBeGreaterThan(0.0199);
    // a bigger control share needs fewer customers for the same uplift
    const wider = await viewer.outcomes.plan({ baseline: 0.1, controlShare: 0.3, uplift: 0.02 });
    expect(wider.audience).toBeLessThan(plan.audience);
    const judged = await viewer.outcomes.plan({
      baseline: 0.1,
      controlShare: 0.1,
      audience: 5_000,
    });
    expect(judged.minimumDetectableEffect).toBeGreaterThan(0.02);
    await expect(viewer.outcomes.plan({ baseline: 0.1, controlShare: 0.1 })).rejects.toThrow(
      /Give an uplift or an audience/,
    );
    await expect(
      viewer.outcomes.plan({ baseline: 0.9, controlShare: 0.1, uplift: 0.2 }),
    ).rejects.toThrow(/passes 100 %/);
  });
});
