import { openDatabase, type StrataDb } from '@strata/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs } from './test-callers.js';

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
  db = openDatabase(':memory:');
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
