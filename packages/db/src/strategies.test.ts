import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from './audit.js';
import {
  createStrategy,
  getStrategy,
  listStrategies,
  listStrategyVersions,
  setStrategyStatus,
  updateStrategy,
} from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const now = new Date('2026-11-22T09:00:00Z');
const who = { actor: 'chen.hq', now };

const maturing = {
  name: '理财到期承接',
  nameEn: 'Wealth maturity follow-up',
  objective: 'aum',
  audience: { kind: 'event', event: 'wealth_maturing', withinDays: 7 },
  products: ['WM-90D'],
  channel: 'branch_rm',
  script: '您好，您的理财即将到期……',
  schedule: { kind: 'trigger' },
  priority: 80,
  controlShare: 0.1,
  kpi: { metric: 'aum_change', target: 50_000_000 },
  evaluationDays: 30,
  owner: 'chen.hq',
} as const;

beforeAll(() => {
  db = openTestDatabase();
});
afterAll(() => db.close());

describe('strategies', () => {
  it('are created as drafts, version 1, with defaults filled in and the definition checked', () => {
    const s = createStrategy(db, 'wm-maturity', maturing, who);
    expect(s).toMatchObject({ key: 'wm-maturity', status: 'draft', currentVersion: 1, version: 1 });
    expect(s.definition.contactCap).toBe(1);
    expect(() => createStrategy(db, 'wm-maturity', maturing, who)).toThrow(/exists/);
    expect(() =>
      createStrategy(db, 'bad', { ...maturing, schedule: { kind: 'monthly', day: 1 } }, who),
    ).toThrow(/an event audience runs on its trigger/);
    expect(() => createStrategy(db, 'bad2', { ...maturing, controlShare: 0.9 }, who)).toThrow();
    expect(getStrategy(db, 'bad')).toBeUndefined();
  });

  it('keep every version: an edit makes a new one, an edit that changes nothing does not', () => {
    const v2 = updateStrategy(db, 'wm-maturity', { ...maturing, priority: 90 }, who);
    expect(v2).toMatchObject({ currentVersion: 2, version: 2 });
    expect(v2.definition.priority).toBe(90);
    expect(
      updateStrategy(db, 'wm-maturity', { ...maturing, priority: 90 }, who).currentVersion,
    ).toBe(2);
    expect(getStrategy(db, 'wm-maturity', 1)?.definition.priority).toBe(80);
    expect(listStrategyVersions(db, 'wm-maturity').map((v) => v.version)).toEqual([1, 2]);
  });

  it('move draft → active ⇄ paused → retired, and nowhere else', () => {
    expect(() => setStrategyStatus(db, 'wm-maturity', 'paused', who)).toThrow(
      /cannot go from draft to paused/,
    );
    expect(setStrategyStatus(db, 'wm-maturity', 'active', who).status).toBe('active');
    expect(setStrategyStatus(db, 'wm-maturity', 'paused', who).status).toBe('paused');
    expect(setStrategyStatus(db, 'wm-maturity', 'active', who).status).toBe('active');
    expect(setStrategyStatus(db, 'wm-maturity', 'retired', who).status).toBe('retired');
    expect(() => setStrategyStatus(db, 'wm-maturity', 'active', who)).toThrow(
      /cannot go from retired/,
    );
    expect(() => updateStrategy(db, 'wm-maturity', maturing, who)).toThrow(/retired/);
    expect(listStrategies(db).map((s) => s.key)).toEqual(['wm-maturity']);
  });

  it('audit every change in an intact chain', () => {
    const actions = db.sqlite
      .prepare("SELECT action FROM audit_log WHERE target = 'strategy:wm-maturity' ORDER BY id")
      .pluck()
      .all();
    expect(actions).toEqual([
      'strategy.create',
      'strategy.update',
      'strategy.status',
      'strategy.status',
      'strategy.status',
      'strategy.status',
    ]);
    expect(verifyAuditLog(db).ok).toBe(true);
  });
});
