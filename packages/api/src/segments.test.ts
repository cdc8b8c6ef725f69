import { FeatureFrame, evaluateRule, type Condition } from '@strata/core';
import { loadFeatureInput, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createCaller } from './root.js';
import { callerAs } from './test-callers.js';
import { openTestDatabase } from '@strata/db/testing';

let db: StrataDb;
let api: ReturnType<typeof createCaller>;
const clock = () => new Date('2026-11-02T09:00:00Z');

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 8, retail: 2_000, corporate: 200 }, undefined, clock);
  api = callerAs(db, 'admin', clock);
});
afterAll(() => db.close());

// Affluent payroll customers with money coming in lately.
const rule: Condition = {
  kind: 'and',
  of: [
    { kind: 'cmp', field: 'payroll_customer', op: '=', value: true },
    { kind: 'cmp', field: 'aum', op: '>=', value: 50_000 },
    {
      kind: 'or',
      of: [
        { kind: 'event', event: 'large_inflow', withinDays: 90 },
        { kind: 'cmp', field: 'aum_trend_3m', op: '>=', value: 0.1 },
      ],
    },
  ],
};

describe('segments.preview', () => {
  it('gives the count the in-memory engine gives, a share, a sample without personal data, and the sentence', async () => {
    const preview = await api.segments.preview({ rule, period: '2026-10', sample: 5 });
    const members = evaluateRule(rule, new FeatureFrame(loadFeatureInput(db, '2026-10')));
    expect(preview.count).toBe(members.reduce((a, b) => a + b, 0));
    expect(preview.count).toBeGreaterThan(0);
    expect(preview.share).toBeCloseTo(preview.count / preview.universe, 12);
    expect(preview.sample.length).toBe(Math.min(5, preview.count));
    expect(Object.keys(preview.sample[0] ?? {}).sort()).toEqual([
      'aum',
      'branch',
      'branchEn',
      'externalId',
      'kind',
    ]);
    expect(preview.sentence['zh-CN']).toBe(
      '代发工资客户为是 且 管理资产月日均 ≥ 5万元 且 （近 90 天内有「大额资金流入」 或 近3个月资产变动 ≥ +10%）',
    );
  });

  it('refuses a bad rule with the path of the bad node', async () => {
    const bad = { kind: 'and', of: [{ kind: 'cmp', field: 'aum', op: '>=', value: '5万' }] };
    await expect(api.segments.preview({ rule: bad })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Invalid rule: of.0.value: aum is a number; got "5万"',
    });
  });
});

describe('segments.save', () => {
  it('saves a segment and lists it with its rule and sentence', async () => {
    const saved = await api.segments.save({
      key: 'affluent_payroll',
      name: '代发富裕客群',
      nameEn: 'Affluent payroll',
      rule,
      priority: 10,
    });
    expect(saved.createdAt).toBe('2026-11-02T09:00:00.000Z');
    const list = await api.segments.list();
    expect(list.map((s) => s.key)).toContain('affluent_payroll');
    expect(list.find((s) => s.key === 'affluent_payroll')?.rule).toEqual(rule);
  });

  it('saves nothing when the rule is bad or the key is taken', async () => {
    const before = db.sqlite.prepare('SELECT count(*) FROM segments').pluck().get();
    await expect(
      api.segments.save({
        key: 'broken',
        name: '坏',
        nameEn: 'Broken',
        rule: { kind: 'cmp', field: 'nope', op: '=', value: 1 },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      api.segments.save({ key: 'affluent_payroll', name: '重复', nameEn: 'Again', rule }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      api.segments.save({ key: 'Bad Key', name: 'x', nameEn: 'x', rule }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(db.sqlite.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(before);
  });

  it('edits a segment (priority, exclusivity, rule), audited, and refuses an unknown key or a viewer', async () => {
    const before = (await api.segments.list()).find((x) => x.key === 'seniors');
    if (!before) throw new Error('no seniors');
    const rule: Condition = { kind: 'cmp', field: 'age', op: '>=', value: 65 };
    const edited = await api.segments.update({
      key: 'seniors',
      name: before.name,
      nameEn: before.nameEn,
      rule,
      priority: 7,
      exclusive: true,
    });
    expect(edited).toMatchObject({ key: 'seniors', priority: 7, exclusive: true, rule });
    expect((await api.segments.list()).find((x) => x.key === 'seniors')?.sentence.en).toMatch(/65/);
    expect(
      db.sqlite
        .prepare(
          "SELECT count(*) FROM audit_log WHERE action = 'segment.update' AND target = 'segment:seniors'",
        )
        .pluck()
        .get(),
    ).toBe(1);
    await expect(
      api.segments.update({
        key: 'no_such',
        name: 'x',
        nameEn: 'x',
        rule,
        priority: 1,
        exclusive: false,
      }),
    ).rejects.toThrow(/No segment "no_such"/);
    await expect(
      callerAs(db, 'viewer', clock).segments.update({
        key: 'seniors',
        name: 'x',
        nameEn: 'x',
        rule,
        priority: 1,
        exclusive: false,
      }),
    ).rejects.toThrow(/roles admin, strategist/);
  });
});
