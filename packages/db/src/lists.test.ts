import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ScorerRegistry,
  dayOf,
  defaultScorers,
  periodEndDay,
  type StrategyDefinition,
} from '@strata/core';
import { verifyAuditLog } from './audit.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { bumpDataVersion } from './metric-blocks.js';
import { audienceMembers } from './audiences.js';
import { generateStrategyLists, previewStrategyLists } from './lists.js';
import { getList, getListEntries, listLists } from './queries/lists.js';
import { audienceOverlaps } from './collisions.js';
import { seedDemoBank } from './seed/index.js';
import { createStrategy, listStrategies, setStrategyStatus } from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const now = new Date('2026-11-05T09:00:00Z');
const who = { actor: 'chen.hq', now };
const base = {
  objective: 'aum',
  schedule: { kind: 'monthly', day: 5 },
  controlShare: 0.1,
  kpi: { metric: 'conversion_rate', target: 0.05 },
  evaluationDays: 30,
  owner: 'chen.hq',
} as const;

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 14, retail: 3_000, corporate: 300 }, undefined, () => now);
  const run = getLatestInsightRun(db);
  const top = db.sqlite
    .prepare(
      'SELECT coalesce(primary_segment, ?) AS segment, stage, count(*) AS n FROM insight_customers WHERE run_id = ? GROUP BY 1, 2 ORDER BY n DESC LIMIT 1',
    )
    .get('(none)', run?.id) as { segment: string; stage: string };
  createStrategy(
    db,
    'top-cell',
    {
      ...base,
      name: 'Top cell',
      audience: { kind: 'cell', segment: top.segment, stage: top.stage },
      channel: 'sms',
      priority: 70,
    },
    who,
  );
  createStrategy(
    db,
    'seniors',
    {
      ...base,
      name: 'Seniors',
      audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 50 } },
      channel: 'sms',
      priority: 40,
    },
    who,
  );
  createStrategy(
    db,
    'drafty',
    {
      ...base,
      name: 'Draft',
      audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 18 } },
      channel: 'call_out',
      priority: 10,
    },
    who,
  );
  setStrategyStatus(db, 'top-cell', 'active', who);
  setStrategyStatus(db, 'seniors', 'active', who);
});
afterAll(() => db.close());

const admin = { role: 'admin', orgUnitId: null, rmId: null } as const;

describe('lists', () => {
  it('previews what a run would make, drafts included, writing and auditing nothing', () => {
    const audits = db.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get();
    const [top, draft] = previewStrategyLists(db, { keys: ['top-cell', 'drafty'], now });
    expect(top).toMatchObject({
      strategyKey: 'top-cell',
      version: 1,
      period: '2026-10',
      model: null,
    });
    expect(top?.summary.listed).toBeGreaterThan(0);
    expect(draft?.summary.audience).toBeGreaterThan(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(audits);
  });

  it('refuses an inactive strategy and stores nothing', () => {
    expect(() => generateStrategyLists(db, { keys: ['top-cell', 'drafty'], ...who })).toThrow(
      /"drafty" is draft: only active strategies make lists/,
    );
    expect(db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get()).toBe(0);
    // the run writes without per-row foreign-key lookups: they are on again after a failure
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('lists only customers with SMS consent, holds back about 10 %, and keeps the version and RM', () => {
    const preview = previewStrategyLists(db, { keys: ['top-cell', 'seniors'], now });
    const [top, seniors] = generateStrategyLists(db, { keys: ['top-cell', 'seniors'], ...who });
    expect([top?.summary, seniors?.summary]).toEqual(preview.map((p) => p.summary));
    expect(top?.summary.audience).toBeGreaterThan(200);
    for (const list of [top, seniors]) {
      const s = list?.summary;
      expect(s && s.listed + Object.values(s.excluded).reduce((a, b) => a + b, 0)).toBe(
        s?.audience,
      );
      const entries = getListEntries(db, list?.id as number, admin, { limit: 100_000, offset: 0 });
      expect(entries).toHaveLength(s?.listed as number);
      expect(s?.control).toBe(entries.filter((e) => e.arm === 'control').length);
      // every listed customer granted SMS consent and did not opt out
      const bad = db.sqlite
        .prepare(
          `SELECT count(*) FROM list_entries e LEFT JOIN customer_consents k ON k.customer_id = e.customer_id AND k.channel = 'sms'
           WHERE e.list_id = ? AND (k.consent IS NOT 'granted' OR k.opted_out = 1)`,
        )
        .pluck()
        .get(list?.id);
      expect(bad).toBe(0);
      expect(s?.excluded.not_contactable).toBeGreaterThan(0);
    }
    const share = (top?.summary.control ?? 0) / (top?.summary.listed ?? 1);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.2);
    // every entry's customer and list exist (SQLite: written without per-row lookups; PostgreSQL
    // keeps its constraints); checks back on
    if (db.dialect === 'sqlite')
      expect(db.sqlite.pragma('foreign_key_check(list_entries)')).toEqual([]);
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(getList(db, top?.id as number)).toMatchObject({
      strategyKey: 'top-cell',
      version: 1,
      period: '2026-10',
    });
  });

  it('counts the month’s earlier contacts against the caps when run again', () => {
    const before = db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get() as number;
    const [again] = generateStrategyLists(db, { keys: ['top-cell'], ...who });
    // two SMS a month by default: customers contacted by both lists already are capped now
    expect(again?.summary.excluded.channel_cap ?? 0).toBeGreaterThan(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get()).toBe(before + 1);
  });

  it('shows a branch manager only the entries of their branch', () => {
    const list = db.sqlite
      .prepare('SELECT id FROM strategy_lists ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const all = getListEntries(db, list, admin, { limit: 100_000, offset: 0 });
    const mine = getListEntries(
      db,
      list,
      { role: 'branch_manager', orgUnitId: branch, rmId: null },
      { limit: 100_000, offset: 0 },
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
  });

  it('counts the customers active strategies on one channel both claim, per cell (collisions)', () => {
    const run = getLatestInsightRun(db);
    if (!run) throw new Error('no run');
    const strategies = listStrategies(db);
    const overlaps = audienceOverlaps(db, {
      runId: run.id,
      period: run.period,
      dimension: 'primary',
      strategies,
      now,
    });
    // top-cell (a map cell) and seniors (a rule) are both on SMS: their shared customers all sit
    // in top-cell's cell; drafty (call-out, a draft) collides with nothing
    const day = Math.min(dayOf('2026-11-05'), periodEndDay(run.period));
    const [cell, rule] = ['top-cell', 'seniors'].map(
      (k) =>
        new Set(
          audienceMembers(
            db,
            strategies.find((s) => s.key === k)?.definition as StrategyDefinition,
            run.period,
            day,
          ),
        ),
    );
    const shared = [...(cell as Set<number>)].filter((id) => rule?.has(id)).length;
    expect(shared).toBeGreaterThan(0);
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toMatchObject({
      channel: 'sms',
      strategies: ['seniors', 'top-cell'],
      customers: shared,
    });
    // within a branch, fewer
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const mine = audienceOverlaps(db, {
      runId: run.id,
      period: run.period,
      dimension: 'primary',
      orgUnitId: branch,
      strategies,
      now,
    });
    expect(mine[0]?.customers ?? 0).toBeLessThan(shared);
  });

  it('counts collisions as a plain count over the audiences would, for every dimension and scope', () => {
    const run = getLatestInsightRun(db);
    if (!run) throw new Error('no run');
    const strategies = listStrategies(db);
    const day = Math.min(dayOf('2026-11-05'), periodEndDay(run.period));
    const active = strategies.filter(
      (s) => s.status === 'active' && s.definition.audience.kind !== 'event',
    );
    const columns: Record<string, string> = {
      primary: "coalesce(ic.primary_segment, '(none)')",
      aum_tier: 'CAST(ic.value_tier AS TEXT)',
      risk_tier: 'CAST(ic.risk_tier AS TEXT)',
      cluster: 'CAST(ic.cluster AS TEXT)',
    };
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    let compared = 0;
    for (const [dimension, column] of Object.entries(columns))
      for (const unit of [null, branch]) {
        const cellOf = new Map(
          (
            db.sqlite
              .prepare(
                `SELECT ic.customer_id, ${column}, ic.stage FROM insight_customers ic
                 JOIN customers c ON c.id = ic.customer_id JOIN org_units u ON u.id = c.org_unit_id
                 WHERE ic.run_id = ? AND (? IS NULL OR u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')`,
              )
              .raw()
              .all(run.id, unit, unit) as [number, string | null, string][]
          ).map(([id, row, stage]) => [id, { row, stage }]),
        );
        const want = new Map<string, { customers: number; strategies: Set<string> }>();
        for (const channel of new Set(active.map((s) => s.definition.channel))) {
          const mine = active.filter((s) => s.definition.channel === channel);
          if (mine.length < 2) continue;
          const claims = new Map<number, string[]>();
          for (const s of mine)
            for (const id of audienceMembers(db, s.definition, run.period, day))
              claims.set(id, [...(claims.get(id) ?? []), s.key]);
          for (const [id, keys] of claims) {
            const cell = cellOf.get(id);
            if (keys.length < 2 || !cell || cell.row === null) continue;
            const k = `${cell.row}|${cell.stage}|${channel}`;
            const hit = want.get(k) ?? { customers: 0, strategies: new Set<string>() };
            hit.customers++;
            for (const key of keys) hit.strategies.add(key);
            want.set(k, hit);
          }
        }
        const got = audienceOverlaps(db, {
          runId: run.id,
          period: run.period,
          dimension,
          orgUnitId: unit,
          strategies,
          now,
        });
        expect(
          Object.fromEntries(
            got.map((c) => [`${c.row}|${c.stage}|${c.channel}`, [c.customers, c.strategies]]),
          ),
          `${dimension} ${unit}`,
        ).toEqual(
          Object.fromEntries(
            [...want].map(([k, v]) => [k, [v.customers, [...v.strategies].sort()]]),
          ),
        );
        compared += want.size;
      }
    expect(compared).toBeGreaterThan(3);
  });

  it('remembers the collisions until the data, a strategy or the day changes', () => {
    const run = getLatestInsightRun(db);
    if (!run) throw new Error('no run');
    const ask = (strategies = listStrategies(db), at = now) =>
      audienceOverlaps(db, {
        runId: run.id,
        period: run.period,
        dimension: 'primary',
        strategies,
        now: at,
      });
    const first = ask();
    expect(ask()).toBe(first); // the same answer, not counted again
    // new customer data: counted again, and the same while nothing that matters changed
    db.sqlite.transaction(() => bumpDataVersion(db))();
    const afterData = ask();
    expect(afterData).not.toBe(first);
    expect(afterData).toEqual(first);
    // a strategy paused: counted again, and the collision is gone
    const seniors = listStrategies(db).map((s) =>
      s.key === 'seniors' ? { ...s, status: 'paused' as const } : s,
    );
    expect(ask(seniors)).toEqual([]);
    // another day inside the month (the 5th of November counts as the month's last day)
    expect(ask(undefined, new Date('2026-10-20T09:00:00Z'))).not.toBe(afterData);
  });

  it('lists a strategy’s lists, newest first', () => {
    const mine = listLists(db, { strategyKey: 'top-cell' });
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((l) => l.strategyKey === 'top-cell')).toBe(true);
    expect(mine.map((l) => l.id)).toEqual([...mine.map((l) => l.id)].sort((a, b) => b - a));
    expect(listLists(db, { limit: 1 })).toHaveLength(1);
  });

  it('audits each run', () => {
    expect(
      db.sqlite
        .prepare("SELECT count(*) FROM audit_log WHERE action = 'list.generate'")
        .pluck()
        .get(),
    ).toBe(2);
    expect(verifyAuditLog(db).ok).toBe(true);
  });
});

describe('lists chosen by a model (模型组 vs 非模型组)', () => {
  const wealthModel = {
    ...base,
    name: 'Wealth by model',
    audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 30 } },
    channel: 'call_out',
    priority: 30,
    model: {
      scorer: 'strata.responsiveness',
      select: { kind: 'top', share: 0.2 },
      compare: true,
    },
  } as const;

  it('refuses a model that is not registered, and stores nothing', () => {
    createStrategy(db, 'by-model', wealthModel, who);
    setStrategyStatus(db, 'by-model', 'active', who);
    const before = db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get();
    expect(() =>
      generateStrategyLists(db, { keys: ['by-model'], ...who, scorers: new ScorerRegistry() }),
    ).toThrow(
      /names the model "strata.responsiveness", which is not registered \(registered: none\)/,
    );
    expect(db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get()).toBe(before);
  });

  it('lists the model’s top customers and a rule group as large, each with its own control', () => {
    const [list] = generateStrategyLists(db, {
      keys: ['by-model'],
      ...who,
      scorers: defaultScorers(),
    });
    const model = list?.model;
    expect(model).toMatchObject({ scorer: 'strata.responsiveness', version: '1', compare: true });
    expect(model?.eligible).toBeLessThan(model?.audience as number);
    expect(model?.scored).toBe(model?.eligible);
    const top = Math.round(0.2 * (model?.eligible as number));
    expect(list?.summary.audience).toBe(2 * top);
    const entries = getListEntries(db, list?.id as number, admin, { limit: 100_000, offset: 0 });
    const byModel = entries.filter((e) => e.selection === 'model');
    const byRule = entries.filter((e) => e.selection === 'rule');
    expect(list?.summary.selected).toEqual({ model: byModel.length, rule: byRule.length });
    expect(byModel.length + byRule.length).toBe(entries.length);
    // the model chose the highest scores: every rule-group score is at most the lowest model score
    const lowest = Math.min(...byModel.map((e) => e.score as number));
    expect(Math.max(...byRule.map((e) => e.score as number))).toBeLessThanOrEqual(lowest);
    for (const group of [byModel, byRule]) {
      expect(group.length).toBeGreaterThan(50);
      expect(group.some((e) => e.arm === 'control')).toBe(true);
      expect(group.some((e) => e.arm === 'treatment')).toBe(true);
    }
    // the same run again gives the same groups (and its arms) for the customers still eligible
    const [again] = generateStrategyLists(db, {
      keys: ['by-model'],
      ...who,
      scorers: defaultScorers(),
    });
    const second = new Map(
      getListEntries(db, again?.id as number, admin, { limit: 100_000, offset: 0 }).map((e) => [
        e.customerId,
        e,
      ]),
    );
    for (const e of entries) {
      const twin = second.get(e.customerId);
      if (twin) expect([twin.selection, twin.arm]).toEqual([e.selection, e.arm]);
    }
  });
});
