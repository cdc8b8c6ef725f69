import { conditionSchema } from '@strata/core';
import { getLatestInsightRun, getSegmentMembers, type StrataDb } from '@strata/db';
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
  seedDemoBank(db, { seed: 9, retail: 1_500, corporate: 150 }, undefined, clock);
  api = callerAs(db, 'admin', clock);
});
afterAll(() => db.close());

describe('a strategist through the API', () => {
  it('defines a segment, sees its count and sentence, refreshes, and reads a member’s profile with the why', async () => {
    const rule = {
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
        { kind: 'cmp', field: 'aum', op: '>=', value: 100_000 },
        { kind: 'cmp', field: 'age', op: '>=', value: 40 },
      ],
    };
    const preview = await api.segments.preview({ rule, period: '2026-10' });
    expect(preview.count).toBeGreaterThan(0);
    expect(preview.sentence['zh-CN']).toContain('年龄');
    await api.segments.save({
      key: 'mature_affluent',
      name: '成熟富裕客群',
      nameEn: 'Mature affluent',
      rule,
      priority: 5,
    });

    const run = await api.insight.refresh({ period: '2026-10' });
    expect(run.period).toBe('2026-10');
    const summary = await api.insight.summary({ period: '2026-10' });
    expect(summary.id).toBe(run.runId);
    const seg = summary.summary.segments.find((s) => s.key === 'mature_affluent');
    expect(seg?.count).toBe(preview.count);

    const member = getSegmentMembers(db, run.runId, 'mature_affluent')[0] as number;
    const profile = await api.insight.profile({ customer: member });
    const tag = profile.tags.find((t) => t.kind === 'segment' && t.key === 'mature_affluent');
    expect(tag?.rule?.pass).toBe(true);
    expect(tag?.rule?.children?.map((c) => c.pass)).toEqual([true, true, true]);
    expect(tag?.rule?.children?.[1]?.value as number).toBeGreaterThanOrEqual(100_000);
    expect(tag?.why['zh-CN']).toContain('管理资产');
    const stage = profile.tags.find((t) => t.kind === 'stage');
    expect(stage?.why.en.length).toBeGreaterThan(5);
    const byExternal = await api.insight.profile({ customer: profile.externalId });
    expect(byExternal.customerId).toBe(member);
  });

  it('refreshes with the cluster names an analyst accepted', async () => {
    const run = await api.insight.refresh({
      period: '2026-10',
      clusterNames: [{ 'zh-CN': '年轻数字族', en: 'Young digital' }],
    });
    const summary = await api.insight.summary({ period: '2026-10' });
    expect(summary.id).toBe(run.runId);
    const model = getLatestInsightRun(db, '2026-10')?.model;
    expect(model?.clusters?.names[0]?.en).toBe('Young digital');
  });

  it('serves the segment × stage matrix for the bank and a branch', async () => {
    const bank = await api.insight.matrix({ dimension: 'aum_tier' });
    const branch = await api.insight.matrix({ dimension: 'aum_tier', branch: '330100' });
    const total = (cells: readonly { customers: number }[]) =>
      cells.reduce((a, c) => a + c.customers, 0);
    expect(total(branch.cells)).toBeGreaterThan(0);
    expect(total(branch.cells)).toBeLessThan(total(bank.cells));
    expect(branch.branch?.code).toBe('330100');
  });

  it('runs the clustering lab: inertia falls with k, silhouettes in range, named profiles', async () => {
    const lab = await api.insight.clusterLab({
      features: ['aum', 'frequency_90d', 'product_types', 'age', 'digital_logins_90d'],
      kMin: 2,
      kMax: 6,
    });
    expect(lab.runs.map((r) => r.k)).toEqual([2, 3, 4, 5, 6]);
    const inertias = lab.runs.map((r) => r.inertia);
    for (let j = 1; j < inertias.length; j++)
      expect(inertias[j]).toBeLessThan(inertias[j - 1] ?? Number.POSITIVE_INFINITY);
    for (const r of lab.runs) {
      expect(r.silhouette).toBeGreaterThan(-1);
      expect(r.silhouette).toBeLessThan(1);
      expect(r.profiles).toHaveLength(r.k);
      expect(r.profiles.reduce((a, p) => a + p.size, 0)).toBe(lab.clustered);
    }
    expect(lab.runs[2]?.profiles[0]?.suggestedName['zh-CN']).toBeTruthy();
    // each cluster's approximating rule: valid, on its distinctive features in their direction,
    // and it selects customers when previewed
    const run = lab.runs[2];
    if (!run) throw new Error('no run');
    expect(run.rules).toHaveLength(run.k);
    for (const [i, rule] of run.rules.entries()) {
      if (!rule) continue;
      expect(conditionSchema.safeParse(rule).success).toBe(true);
      if (rule.kind !== 'and') throw new Error('not an and');
      expect(rule.of[0]).toEqual({ kind: 'cmp', field: 'kind', op: '=', value: 'retail' });
      for (const part of rule.of.slice(1)) {
        if (part.kind !== 'cmp') throw new Error('not a comparison');
        const z = run.profiles[i]?.top.find((t) => t.feature === part.field)?.z ?? 0;
        expect(part.op).toBe(z > 0 ? '>=' : '<=');
      }
      const preview = await api.segments.preview({ rule, sample: 0 });
      expect(preview.count).toBeGreaterThan(0);
    }
    expect(run.rules.some((r) => r !== null)).toBe(true);
  });

  it('refuses bad requests with the field at fault and changes nothing', async () => {
    const runs = (await api.insight.runs()).length;
    await expect(api.insight.refresh({ period: '2031-01' })).rejects.toThrow(
      /No monthly data for 2031-01/,
    );
    await expect(api.insight.clusterLab({ features: ['gender' as never] })).rejects.toThrow(
      /not a numeric feature/,
    );
    await expect(api.insight.clusterLab({ features: ['aum'], kMin: 8, kMax: 3 })).rejects.toThrow(
      /kMin/,
    );
    await expect(api.insight.profile({ customer: 99_999_999 })).rejects.toThrow(/No customer/);
    expect((await api.insight.runs()).length).toBe(runs);
  });
});
