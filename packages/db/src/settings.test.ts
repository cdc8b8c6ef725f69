import { DEFAULT_BANK_SETTINGS } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsightRefresh } from './insight-refresh.js';
import { runLifecycleRefresh } from './lifecycle-refresh.js';
import { previewStrategyLists } from './lists.js';
import { getLifecycleFunnel } from './queries/lifecycle.js';
import { seedDemoBank } from './seed/index.js';
import { SettingsError, getBankSettings, updateBankSettings } from './settings.js';
import { createStrategy, setStrategyStatus } from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const now = new Date('2026-11-05T09:00:00Z');
const by = { actor: 'admin', origin: null };

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 9, retail: 1_500, corporate: 60 }, undefined, () => now);
});
afterAll(() => db.close());

const stageCount = (runId: number, period: string, stage: string) =>
  getLifecycleFunnel(db, { runId, period }).find((r) => r.stage === stage)?.count ?? 0;

describe('bank settings', () => {
  it('are the defaults until changed, and a refused change stores nothing', () => {
    expect(getBankSettings(db)).toEqual(DEFAULT_BANK_SETTINGS);
    const bad = { ...DEFAULT_BANK_SETTINGS.lifecycle, dormantDays: 0 };
    expect(() => updateBankSettings(db, { lifecycle: bad }, by, now)).toThrow(SettingsError);
    expect(() => updateBankSettings(db, { lifecycle: bad }, by, now)).toThrow(
      /lifecycle\.dormantDays: Too small/,
    );
    expect(getBankSettings(db)).toEqual(DEFAULT_BANK_SETTINGS);
  });

  it('drive the next lifecycle refresh: a shorter dormancy makes more customers dormant', () => {
    const before = runLifecycleRefresh(db, { now: () => now });
    const period = before.periods[before.periods.length - 1] as string;
    updateBankSettings(
      db,
      { lifecycle: { ...DEFAULT_BANK_SETTINGS.lifecycle, dormantDays: 60 } },
      by,
      now,
    );
    const after = runLifecycleRefresh(db, { now: () => now });
    expect(stageCount(after.runId, period, 'dormant')).toBeGreaterThan(
      stageCount(before.runId, period, 'dormant'),
    );
    // and the insight refresh runs with them (its stored config says so)
    const insight = runInsightRefresh(db, { now: () => now });
    const config = JSON.parse(
      db.sqlite
        .prepare('SELECT config FROM insight_runs WHERE id = ?')
        .pluck()
        .get(insight.runId) as string,
    ) as { lifecycle: { dormantDays: number } };
    expect(config.lifecycle.dormantDays).toBe(60);
    const audit = db.sqlite
      .prepare("SELECT detail FROM audit_log WHERE action = 'settings.update'")
      .pluck()
      .all() as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0] as string).lifecycle.before.dormantDays).toBe(180);
  });

  it('drive list generation: a channel cap of 0 leaves the channel’s lists empty', () => {
    createStrategy(
      db,
      'sms-adults',
      {
        name: 'SMS adults',
        objective: 'aum',
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 18 } },
        channel: 'sms',
        schedule: { kind: 'monthly', day: 5 },
        priority: 10,
        controlShare: 0.1,
        kpi: { metric: 'conversion_rate', target: 0.05 },
        evaluationDays: 30,
        owner: 'admin',
      },
      { actor: 'admin', now },
    );
    setStrategyStatus(db, 'sms-adults', 'active', { actor: 'admin', now });
    const listed = () =>
      (
        previewStrategyLists(db, { keys: ['sms-adults'], now })[0] as {
          summary: { treatment: number };
        }
      ).summary.treatment;
    expect(listed()).toBeGreaterThan(0);
    const policy = DEFAULT_BANK_SETTINGS.contactPolicy;
    updateBankSettings(
      db,
      { contactPolicy: { ...policy, perChannel: { ...policy.perChannel, sms: 0 } } },
      by,
      now,
    );
    expect(listed()).toBe(0);
  });
});
