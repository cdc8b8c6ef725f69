// The strategy loop end to end on the demo bank, over HTTP: the top gap cell of the map → a
// strategy for it → its list → outcomes for treatment and control drawn with a known true
// uplift → the review's estimate, whose 95 % interval must hold the true uplift.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppRouter } from '@strata/api';
import { createRng } from '@strata/core';
import { createServiceToken, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { openTestDatabase } from '@strata/db/testing';

const clock = () => new Date('2026-11-05T09:00:00Z');
let db: StrataDb;
let server: Server;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let base = '';
let auth: Record<string, string> = {};

beforeAll(async () => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 31, retail: 8_000, corporate: 800 }, undefined, clock);
  const { token } = createServiceToken(db, { name: 'hq', role: 'strategist' }, clock());
  server = createApp({ db, widgetDir: bundleDir, embedOrigins: [], maxBody: 4 << 20, now: clock });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auth = { authorization: `Bearer ${token}` };
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${base}/trpc`, headers: auth })],
  });
}, 120_000);
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
});

describe('the strategy loop, end to end', () => {
  it('from the top gap to a reviewed uplift whose interval holds the true one', async () => {
    const map = await api.strategies.map.query({ rankBy: 'customers' });
    const gap = map.gaps[0];
    if (!gap) throw new Error('no gap on the map');
    await api.strategies.create.mutate({
      key: 'top-gap',
      definition: {
        name: '顶部缺口承接',
        objective: 'active_customers',
        audience: { kind: 'cell', segment: gap.row, stage: gap.stage },
        channel: 'branch_rm',
        schedule: { kind: 'monthly', day: 5 },
        priority: 60,
        controlShare: 0.3,
        kpi: { metric: 'conversion_rate', target: 0.2 },
        evaluationDays: 30,
        owner: 'hq',
      },
    });
    await api.strategies.setStatus.mutate({ key: 'top-gap', status: 'active' });
    const [list] = await api.lists.generate.mutate({ keys: ['top-gap'] });
    if (!list) throw new Error('no list');
    expect(list.summary.listed).toBeGreaterThan(400);

    // every listed customer, then outcomes: 25 % convert when contacted, 10 % without
    const entries: { customerId: number; arm: string }[] = [];
    for (let offset = 0; ; offset += 1_000) {
      const page = await api.lists.entries.query({ id: list.id, limit: 1_000, offset });
      entries.push(...page);
      if (page.length < 1_000) break;
    }
    expect(entries).toHaveLength(list.summary.listed);
    const TRUE_UPLIFT = 0.15;
    const rng = createRng(20261105);
    const outcomes = entries.map((e) => {
      const converted = rng.next() < (e.arm === 'treatment' ? 0.25 : 0.1);
      return {
        customerId: e.customerId,
        contacted: e.arm === 'treatment',
        converted,
        amount: converted ? 10_000 + Math.round(rng.next() * 90_000) : 0,
        occurredOn: '2026-11-20',
      };
    });
    for (let k = 0; k < outcomes.length; k += 2_000)
      await api.outcomes.record.mutate({ listId: list.id, outcomes: outcomes.slice(k, k + 2_000) });

    const [review] = await api.outcomes.review.query({ key: 'top-gap' });
    if (!review) throw new Error('no review');
    const { conversion } = review;
    if (!conversion) throw new Error('no comparison with the control group');
    console.log(
      `top gap ${gap.row} × ${gap.stage}: ${gap.customers} customers; listed ${list.summary.listed} (treatment ${review.treatment.n}, control ${review.control.n}); ` +
        `conversion ${(conversion.treatmentRate * 100).toFixed(1)} % vs ${(conversion.controlRate * 100).toFixed(1)} %; ` +
        `uplift ${(conversion.uplift * 100).toFixed(2)} pts, 95 % CI [${(conversion.upliftCi[0] * 100).toFixed(2)}, ${(conversion.upliftCi[1] * 100).toFixed(2)}], p = ${conversion.p.toExponential(2)}; ` +
        `recommendation ${review.recommendation.action}: ${review.recommendation.reason}`,
    );
    expect(review.treatment.n + review.control.n).toBe(list.summary.listed);
    expect(conversion.upliftCi[0]).toBeLessThanOrEqual(TRUE_UPLIFT);
    expect(conversion.upliftCi[1]).toBeGreaterThanOrEqual(TRUE_UPLIFT);
    expect(conversion.p).toBeLessThan(0.001);
    expect(review.amount?.difference).toBeGreaterThan(0);
    expect(review.recommendation.action).toBe('scale_up');
    // the board agrees with the review, and shows the KPI's progress
    const row = (await api.outcomes.board.query()).find((r) => r.key === 'top-gap');
    expect(row).toMatchObject({
      reach: review.treatment.n,
      conversions: review.treatment.converted,
      control: { n: review.control.n, conversions: review.control.converted },
      uplift: { value: conversion.uplift, ci: conversion.upliftCi, p: conversion.p },
      kpi: { metric: 'conversion_rate', target: 0.2, actual: conversion.treatmentRate },
    });
    expect(row?.kpi.progress).toBeCloseTo(conversion.treatmentRate / 0.2, 12);
    // the gap is closed on the map now, and the map carries the strategy's latest results
    const after = await api.strategies.map.query({ rankBy: 'customers' });
    expect(after.results['top-gap']).toEqual(row);
    const inCell = after.cellResults.find(
      (r) => r.strategy === 'top-gap' && r.row === gap.row && r.stage === gap.stage,
    );
    expect(inCell?.treatment.n).toBeGreaterThan(0);
    expect(inCell?.conversion?.uplift).toBeGreaterThan(0);
    expect(after.gaps.find((g) => g.row === gap.row && g.stage === gap.stage)).toBeUndefined();
  }, 120_000);

  it('a model’s list goes to the CRM as CSV, its results come back as a file, and the review compares model and rule', async () => {
    const models = await api.strategies.models.query();
    expect(models.map((m) => m.name)).toContain('strata.responsiveness');
    await api.strategies.create.mutate({
      key: 'model-pick',
      definition: {
        name: '模型选客外呼',
        objective: 'aum',
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 30 } },
        channel: 'call_out',
        schedule: { kind: 'monthly', day: 5 },
        priority: 40,
        controlShare: 0.25,
        kpi: { metric: 'conversion_rate', target: 0.2 },
        evaluationDays: 30,
        owner: 'hq',
        model: {
          scorer: 'strata.responsiveness',
          select: { kind: 'top', share: 0.3 },
          compare: true,
        },
      },
    });
    await api.strategies.setStatus.mutate({ key: 'model-pick', status: 'active' });
    const [list] = await api.lists.generate.mutate({ keys: ['model-pick'] });
    if (!list?.model || !list.summary.selected) throw new Error('no model on the list');
    expect(list.summary.selected.model).toBeGreaterThan(300);

    // the export for the call-out system: treatment customers, each under the list's campaign code
    const exported = await fetch(`${base}/api/lists/${list.id}.csv`, { headers: auth });
    const lines = (await exported.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^campaign_code,list_id,/);
    const code = lines[1]?.split(',')[0] as string;
    expect(code).toBe(`model-pick-L${list.id}`);

    // the CRM's results for every listed customer: 30 % convert when the model chose and they
    // were called, 15 % when the rule chose, 10 % of the control group on their own
    const entries: { externalId: string; arm: string; selection: string | null }[] = [];
    for (let offset = 0; ; offset += 1_000) {
      const page = await api.lists.entries.query({ id: list.id, limit: 1_000, offset });
      entries.push(...page);
      if (page.length < 1_000) break;
    }
    expect(lines).toHaveLength(1 + entries.filter((e) => e.arm === 'treatment').length);
    const rng = createRng(20261106);
    const rate = (e: (typeof entries)[number]) =>
      e.arm === 'control' ? 0.1 : e.selection === 'model' ? 0.3 : 0.15;
    const file = [
      'outcome_id,customer_id,campaign_code,channel,contacted_on,converted',
      ...entries.map(
        (e, i) =>
          `CRM${i},${e.externalId},${code},call_out,2026-11-04,${rng.next() < rate(e) ? 1 : 0}`,
      ),
    ].join('\n');
    const upload = await fetch(`${base}/api/imports?kind=outcomes&name=crm-results.csv`, {
      method: 'POST',
      body: file,
      headers: { ...auth, 'content-type': 'text/csv' },
    });
    expect(upload.status).toBe(202);
    const { runId } = (await upload.json()) as { runId: number };
    const events = await (
      await fetch(`${base}/api/imports/${runId}/events`, { headers: auth })
    ).text();
    const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(events)?.[1] ?? 'null') as {
      status: string;
      links: { linked: number; lists: number; unmatched: number };
    };
    expect(done).toMatchObject({
      status: 'succeeded',
      links: { linked: entries.length, lists: 1, unmatched: 0 },
    });

    const [review] = await api.outcomes.review.query({ key: 'model-pick' });
    const groups = review?.groups;
    if (!groups?.modelVsRule || !groups.model.conversion || !groups.rule.conversion)
      throw new Error('no group comparison');
    const pts = (x: number) => (x * 100).toFixed(1);
    console.log(
      `model list: ${list.model.audience} in the audience, ${list.model.eligible} reachable by call-out, model group ${list.summary.selected.model}, rule group ${list.summary.selected.rule}; ` +
        `uplift model ${pts(groups.model.conversion.uplift)} pts [${groups.model.conversion.upliftCi.map(pts).join(', ')}] (true 20), ` +
        `rule ${pts(groups.rule.conversion.uplift)} pts [${groups.rule.conversion.upliftCi.map(pts).join(', ')}] (true 5), ` +
        `model − rule ${pts(groups.modelVsRule.uplift)} pts [${groups.modelVsRule.upliftCi.map(pts).join(', ')}] (true 15), p = ${groups.modelVsRule.p.toExponential(2)}`,
    );
    expect(groups.modelVsRule.upliftCi[0]).toBeLessThan(0.15);
    expect(groups.modelVsRule.upliftCi[1]).toBeGreaterThan(0.15);
    expect(groups.modelVsRule.p).toBeLessThan(0.01);
    expect(review?.treatment.contacted).toBe(review?.treatment.n);
  }, 120_000);

  it('refuses outcomes for customers not on the list, recording none of them', async () => {
    const list = db.sqlite.prepare('SELECT id FROM strategy_lists LIMIT 1').pluck().get() as number;
    const before = db.sqlite.prepare('SELECT count(*) FROM list_outcomes').pluck().get();
    await expect(
      api.outcomes.record.mutate({
        listId: list,
        outcomes: [{ customerId: 999_999, converted: true, occurredOn: '2026-11-20' }],
      }),
    ).rejects.toThrow(
      /Not on list \d+ \(or not yours to record\): customer 999999\. Nothing was recorded\./,
    );
    expect(db.sqlite.prepare('SELECT count(*) FROM list_outcomes').pluck().get()).toBe(before);
  });
});
