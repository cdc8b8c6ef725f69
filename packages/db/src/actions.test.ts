import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextActions, recordAction } from './actions.js';
import { createEmbedKey, embedKeyFor, embedOrigins, normaliseOrigin } from './embed.js';
import { generateStrategyLists } from './lists.js';
import { seedDemoBank } from './seed/index.js';
import { StrategyError, createStrategy, setStrategyStatus } from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const now = new Date('2026-11-05T09:00:00Z');
const who = { actor: 'chen.hq', now };
const by = { ...who, scope: { role: 'admin', orgUnitId: null, rmId: null } as const };
const admin = { role: 'admin', orgUnitId: null, rmId: null } as const;
let listId = 0;

const definition = (name: string, priority: number) => ({
  name,
  objective: 'aum',
  audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 18 } },
  products: ['P1'],
  channel: 'branch_rm',
  script: `script of ${name}`,
  schedule: { kind: 'monthly', day: 5 },
  priority,
  controlShare: 0.2,
  kpi: { metric: 'conversion_rate', target: 0.05 },
  evaluationDays: 30,
  owner: 'chen.hq',
});

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 21, retail: 600, corporate: 30 }, undefined, () => now);
  createStrategy(db, 'adults', definition('Adults', 30), who);
  setStrategyStatus(db, 'adults', 'active', who);
  listId = (generateStrategyLists(db, { keys: ['adults'], ...who })[0] as { id: number }).id;
});
afterAll(() => db.close());

const armOf = (arm: string) =>
  db.sqlite
    .prepare(
      'SELECT customer_id FROM list_entries WHERE list_id = ? AND arm = ? ORDER BY 1 LIMIT 1',
    )
    .pluck()
    .get(listId, arm) as number;

describe('next actions', () => {
  it('shows a treatment customer the action with products, script and why; never a control customer', () => {
    const treated = armOf('treatment');
    const [action] = nextActions(db, admin, { customerId: treated });
    expect(action).toMatchObject({
      listId,
      campaignCode: `adults-L${listId}`,
      strategyKey: 'adults',
      products: ['P1'],
      script: 'script of Adults',
      audience: { zh: '年龄 ≥ 18 岁', en: 'age ≥ 18 years' },
      outcome: { contacted: false, converted: false },
    });
    expect(nextActions(db, admin, { customerId: armOf('control') })).toEqual([]);
  });

  it('merges what is recorded, drops the action once declined or converted, refuses control', () => {
    const c = armOf('treatment');
    const base = { listId, customerId: c, occurredOn: '2026-11-06' };
    expect(recordAction(db, { ...base, result: 'contacted' }, by)).toMatchObject({
      contacted: true,
      responded: false,
    });
    expect(nextActions(db, admin, { customerId: c })[0]?.outcome.contacted).toBe(true);
    expect(recordAction(db, { ...base, result: 'accepted' }, by)).toMatchObject({
      contacted: true,
      responded: true,
      converted: false,
    });
    expect(recordAction(db, { ...base, result: 'converted', amount: 1200 }, by)).toMatchObject({
      responded: true,
      converted: true,
      amount: 1200,
    });
    expect(nextActions(db, admin, { customerId: c })).toEqual([]);
    expect(() =>
      recordAction(db, { ...base, customerId: armOf('control'), result: 'contacted' }, by),
    ).toThrow(StrategyError);
  });
});

describe('embed keys', () => {
  it('one customer’s actions equal the whole book’s for that customer, over several months’ lists', () => {
    createStrategy(
      db,
      'seniors',
      {
        ...definition('Seniors', 60),
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 50 } },
      },
      who,
    );
    setStrategyStatus(db, 'seniors', 'active', who);
    for (const period of ['2026-08', '2026-09', '2026-10'])
      generateStrategyLists(db, { keys: ['adults', 'seniors'], period, ...who });
    const customers = db.sqlite
      .prepare(
        'SELECT customer_id FROM list_entries GROUP BY customer_id HAVING count(*) >= 3 ORDER BY customer_id LIMIT 40',
      )
      .pluck()
      .all() as number[];
    expect(customers.length).toBeGreaterThan(10);
    const book = nextActions(db, admin, { limit: 100_000 });
    let actions = 0;
    for (const id of customers) {
      const mine = nextActions(db, admin, { customerId: id });
      expect(mine, `customer ${id}`).toEqual(book.filter((a) => a.customerId === id));
      actions += mine.length;
    }
    expect(actions).toBeGreaterThan(10);
  });

  it('normalises origins and refuses what is not one', () => {
    expect(normaliseOrigin('https://Portal.Bank.cn:443')).toBe('https://portal.bank.cn');
    expect(() => normaliseOrigin('https://portal.bank.cn/app')).toThrow(/scheme, host and port/);
    expect(() => normaliseOrigin('ftp://x')).toThrow(/http/);
    expect(() => normaliseOrigin('portal')).toThrow(/not an origin/);
  });

  it('stores an HS256 secret once, and the audit log records the key, not the secret', () => {
    const { key, secret } = createEmbedKey(
      db,
      { name: 'CRM', alg: 'HS256', origins: ['http://crm.bank.cn:8080'] },
      { actor: 'admin', origin: null },
      now,
    );
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(embedKeyFor(db, key.kid, now)?.secret).toBe(secret);
    expect(embedOrigins(db, now).has('http://crm.bank.cn:8080')).toBe(true);
    const audit = db.sqlite
      .prepare("SELECT detail FROM audit_log WHERE action = 'embed_key.create'")
      .pluck()
      .get() as string;
    expect(audit).toContain('CRM');
    expect(audit).not.toContain(secret as string);
  });
});
