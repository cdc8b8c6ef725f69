// The authorization matrix: every procedure, called over HTTP as every role, is allowed,
// denied or scoped exactly as listed here. A procedure without an entry fails the test.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appRouter } from '@strata/api';
import {
  createEmbedKey,
  createSession,
  createStrategy,
  generateStrategyLists,
  setStrategyStatus,
  createUser,
  importFile,
  type StrataDb,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { openTestDatabase } from '@strata/db/testing';

const clock = () => new Date('2026-11-22T09:00:00Z');
const WHO = [
  'anonymous',
  'admin',
  'strategist',
  'branch_manager',
  'relationship_manager',
  'viewer',
] as const;
type Who = (typeof WHO)[number];
type Expect = 'ok' | 'scoped' | 401 | 403;

let db: StrataDb;
let server: Server;
let base: string;
const userIds: Partial<Record<Who, number>> = {};
/** The branch the branch manager runs, another branch, and the RM with their customers. */
let branch: { id: number; path: string };
let otherBranch: number;
let rm: { id: number; orgUnitId: number };
let inBranch: number; // a customer of the branch manager's branch, not of the RM
let ofRm: number; // a customer of the RM
let elsewhere: number; // a customer of another branch
let bankTotal: number;
let importRun: number;
let listId: number;
const bodies: { who: Who; path: string; text: string }[] = [];
/** Every line the server logged. */
const logLines: string[] = [];

beforeAll(async () => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 4, retail: 400, corporate: 40 }, undefined, clock);
  const branches = db.sqlite
    .prepare(
      `SELECT b.id, b.path, count(*) AS n FROM customers c JOIN org_units u ON u.id = c.org_unit_id
       JOIN org_units b ON u.path LIKE b.path || '%' AND b.kind = 'branch' GROUP BY b.id ORDER BY n DESC`,
    )
    .all() as { id: number; path: string }[];
  branch = branches[0] as { id: number; path: string };
  otherBranch = (branches[1] as { id: number }).id;
  rm = db.sqlite
    .prepare(
      `SELECT r.id, r.org_unit_id AS orgUnitId FROM relationship_managers r JOIN customers c ON c.rm_id = r.id
       JOIN org_units u ON u.id = r.org_unit_id WHERE u.path LIKE ? GROUP BY r.id ORDER BY count(*) DESC LIMIT 1`,
    )
    .get(`${branch.path}%`) as { id: number; orgUnitId: number };
  const pick = (where: string, ...params: unknown[]) =>
    db.sqlite
      .prepare(
        `SELECT c.id FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE ${where} ORDER BY c.id LIMIT 1`,
      )
      .pluck()
      .get(...params) as number;
  ofRm = pick('c.rm_id = ?', rm.id);
  inBranch = pick('u.path LIKE ? AND (c.rm_id IS NULL OR c.rm_id <> ?)', `${branch.path}%`, rm.id);
  elsewhere = pick('u.path NOT LIKE ?', `${branch.path}%`);
  bankTotal = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  // one import on record, for imports.get
  const external = db.sqlite
    .prepare('SELECT external_id FROM customers WHERE id = ?')
    .pluck()
    .get(inBranch);
  importRun = importFile(db, {
    kind: 'outcomes',
    input: {
      bytes: new TextEncoder().encode(
        `outcome_id,customer_id,campaign_code,channel,contacted_on\nO1,${String(external)},WM1,sms,2026-10-02\n`,
      ),
      name: 'outcomes.csv',
    },
    actor: 'setup',
    now: clock(),
  }).runId;
  createStrategy(db, 'matrix-strategy', strategyDefinition, { actor: 'setup', now: clock() });
  // an active strategy with a list, for the lists procedures and the export
  const everyone = { kind: 'cmp', field: 'age', op: '>=', value: 0 };
  createStrategy(
    db,
    'matrix-list',
    { ...strategyDefinition, audience: { kind: 'rule', rule: everyone }, channel: 'branch_rm' },
    { actor: 'setup', now: clock() },
  );
  setStrategyStatus(db, 'matrix-list', 'active', { actor: 'setup', now: clock() });
  listId = (
    generateStrategyLists(db, { keys: ['matrix-list'], actor: 'setup', now: clock() })[0] as {
      id: number;
    }
  ).id;
  embedKid = createEmbedKey(
    db,
    { name: 'matrix', alg: 'HS256', origins: ['https://portal.example'] },
    { actor: 'setup', origin: null },
    clock(),
  ).key.kid;
  const password = 'correct horse battery';
  for (const who of WHO) {
    if (who === 'anonymous') continue;
    userIds[who] = createUser(
      db,
      {
        username: who,
        displayName: who,
        role: who,
        password,
        canUnmask: who === 'admin',
        ...(who === 'branch_manager' && { orgUnitId: branch.id }),
        ...(who === 'relationship_manager' && { rmId: rm.id }),
      },
      clock(),
    ).id;
  }
  server = createApp({
    db,
    widgetDir: bundleDir,
    embedOrigins: [],
    maxBody: 1 << 20,
    now: clock,
    logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
});

/** Calls a procedure over HTTP as `who`, with a fresh session (cookie + CSRF header). */
async function call(who: Who, path: string, input: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who !== 'anonymous') {
    const session = createSession(db, userIds[who] as number, clock());
    headers.cookie = `strata_session=${session.token}`;
    headers['x-strata-csrf'] = session.csrf;
  }
  const proc = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[
    path
  ];
  const res =
    proc?._def.type === 'mutation'
      ? await fetch(`${base}/trpc/${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
        })
      : await fetch(
          `${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        );
  const text = await res.text();
  bodies.push({ who, path, text });
  const body = JSON.parse(text) as { result?: { data: unknown }; error?: { message: string } };
  return { status: res.status, data: body.result?.data as never, error: body.error?.message };
}

const ALL: Record<Who, Expect> = {
  anonymous: 'ok',
  admin: 'ok',
  strategist: 'ok',
  branch_manager: 'ok',
  relationship_manager: 'ok',
  viewer: 'ok',
};
const SIGNED_IN: Record<Who, Expect> = { ...ALL, anonymous: 401 };
const SCOPED: Record<Who, Expect> = {
  ...SIGNED_IN,
  branch_manager: 'scoped',
  relationship_manager: 'scoped',
};
const only = (...roles: Who[]): Record<Who, Expect> =>
  Object.fromEntries(
    WHO.map((w) => [w, w === 'anonymous' ? 401 : roles.includes(w) ? 'ok' : 403]),
  ) as Record<Who, Expect>;

interface Entry {
  readonly expect: Record<Who, Expect>;
  /** The input; for scoped procedures, one the caller may see. */
  readonly input?: (who: Who) => unknown;
  /** For scoped procedures: an input outside the caller's scope, answered 404. */
  readonly outside?: (who: Who) => unknown;
  /** For scoped procedures: checks the answer holds only what the caller may see. */
  readonly check?: (who: Who, data: never) => void;
}

const rule = { kind: 'cmp', field: 'age', op: '>=', value: 18 };
const strategyDefinition = {
  name: '矩阵测试策略',
  objective: 'aum',
  audience: { kind: 'rule', rule },
  channel: 'sms',
  schedule: { kind: 'monthly', day: 3 },
  priority: 10,
  controlShare: 0.1,
  kpi: { metric: 'conversion_rate', target: 0.05 },
  evaluationDays: 30,
  owner: 'strategist',
};
const mine = (who: Who) =>
  who === 'relationship_manager' ? ofRm : who === 'branch_manager' ? inBranch : elsewhere;
const notMine = (who: Who) => (who === 'relationship_manager' ? inBranch : elsewhere);
const unitOf = (who: Who) => (who === 'relationship_manager' ? rm.orgUnitId : branch.id);
const subtreeCount = (unit: number) =>
  db.sqlite
    .prepare(
      "SELECT count(*) FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%'",
    )
    .pluck()
    .get(unit) as number;
let segmentKey = 0;
let embedKid = '';
/** A customer on the matrix list the caller may see, and one on it the caller may not. */
const onList = (where: string, ...params: unknown[]) =>
  db.sqlite
    .prepare(
      `SELECT e.customer_id FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id WHERE e.list_id = ? AND ${where} ORDER BY 1 LIMIT 1`,
    )
    .pluck()
    .get(listId, ...params) as number;
const listed = (w: Who) =>
  w === 'relationship_manager'
    ? onList('c.rm_id = ?', rm.id)
    : w === 'branch_manager'
      ? onList('u.path LIKE ?', `${branch.path}%`)
      : onList('1 = 1');
const notListedForMe = (w: Who) =>
  w === 'relationship_manager'
    ? onList('(c.rm_id IS NULL OR c.rm_id <> ?)', rm.id)
    : onList('u.path NOT LIKE ?', `${branch.path}%`);

/** A treatment customer of the matrix list the caller may see, and one the caller may not. */
const treated = (w: Who) =>
  w === 'relationship_manager'
    ? onList("e.arm = 'treatment' AND c.rm_id = ?", rm.id)
    : w === 'branch_manager'
      ? onList("e.arm = 'treatment' AND u.path LIKE ?", `${branch.path}%`)
      : onList("e.arm = 'treatment'");
const treatedNotMine = (w: Who) =>
  w === 'relationship_manager'
    ? onList("e.arm = 'treatment' AND (c.rm_id IS NULL OR c.rm_id <> ?)", rm.id)
    : onList("e.arm = 'treatment' AND u.path NOT LIKE ?", `${branch.path}%`);

const MATRIX: Record<string, Entry> = {
  health: { expect: ALL },
  'actions.next': {
    expect: SCOPED,
    input: (w) => ({ customer: treated(w) }),
    outside: (w) => ({ customer: treatedNotMine(w) }),
    check: (w, data: { actions: { customerId: number; strategyKey: string }[] }) => {
      expect(data.actions.map((a) => [a.customerId, a.strategyKey])).toEqual([
        [treated(w), 'matrix-list'],
      ]);
    },
  },
  'actions.record': {
    expect: { ...SCOPED, viewer: 403 },
    input: (w) => ({ listId, customer: treated(w), result: 'contacted' }),
    outside: (w) => ({ listId, customer: treatedNotMine(w), result: 'contacted' }),
  },
  'embedKeys.list': { expect: only('admin') },
  'embedKeys.create': {
    expect: only('admin'),
    input: () => ({ alg: 'HS256', name: 'matrix portal', origins: ['https://portal.example'] }),
  },
  'embedKeys.rotate': { expect: only('admin'), input: () => ({ kid: embedKid }) },
  'embedKeys.revoke': { expect: only('admin'), input: () => ({ kid: embedKid }) },
  'settings.get': { expect: SIGNED_IN },
  'settings.update': {
    expect: only('admin'),
    input: () => ({
      contactPolicy: {
        channelPriority: ['branch_rm', 'wecom', 'call_out', 'app_push', 'sms'],
        perCustomer: 2,
        perChannel: { call_out: 1, sms: 2, app_push: 2, wecom: 2, branch_rm: 2 },
        coolingOffDays: 45,
        quietHours: { start: 21, end: 8 },
        utcOffsetMinutes: 480,
      },
    }),
  },
  'kpi.segment': {
    expect: SCOPED,
    input: () => ({ key: 'payroll_no_wealth' }),
    outside: () => ({ key: 'payroll_no_wealth', branch: otherBranch }),
    check: (w, data: { branch: { id: number }; customers: number }) => {
      expect(data.branch.id).toBe(unitOf(w));
      expect(data.customers).toBeLessThanOrEqual(subtreeCount(unitOf(w)));
    },
  },
  'kpi.strategy': {
    expect: SCOPED,
    input: () => ({ key: 'matrix-list' }),
    check: (w, data: { reach: number }) => {
      const where = w === 'relationship_manager' ? 'c.rm_id = ?' : 'u.path LIKE ?';
      const inScope = db.sqlite
        .prepare(
          `SELECT count(*) FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
           WHERE e.list_id = ? AND e.arm = 'treatment' AND ${where}`,
        )
        .pluck()
        .get(listId, w === 'relationship_manager' ? rm.id : `${branch.path}%`) as number;
      expect(data.reach).toBeGreaterThan(0);
      expect(data.reach).toBe(inScope);
    },
  },
  'auth.status': { expect: ALL },
  'auth.setup': {
    expect: { ...ALL, ...Object.fromEntries(WHO.map((w) => [w, 403])) },
    input: () => ({ username: 'root', displayName: 'root', password: 'a long enough password' }),
  },
  'auth.login': {
    expect: Object.fromEntries(WHO.map((w) => [w, 401])) as Record<Who, Expect>,
    input: (w) => ({ username: `nobody-${w}`, password: 'wrong password!!' }),
  },
  'auth.logout': { expect: ALL },
  'customers.get': {
    expect: SCOPED,
    input: (w) => ({ customer: mine(w) }),
    outside: (w) => ({ customer: notMine(w) }),
  },
  'customers.search': {
    expect: SCOPED,
    input: () => ({ limit: 200 }),
    outside: () => ({ branch: otherBranch }),
    check: (w, data: { total: number; rows: { id: number }[] }) => {
      expect(data.total).toBeLessThanOrEqual(subtreeCount(unitOf(w)));
      expect(data.total).toBeGreaterThan(0);
      expect(data.rows.length).toBe(Math.min(200, data.total));
    },
  },
  'customers.lists': {
    expect: SCOPED,
    input: (w) => ({ customer: mine(w) }),
    outside: (w) => ({ customer: notMine(w) }),
  },
  'customers.reveal': {
    expect: only('admin'),
    input: () => ({ customer: inBranch, field: 'phone', reason: 'customer called back' }),
  },
  'insight.runs': { expect: SIGNED_IN },
  'insight.deposits': {
    expect: SCOPED,
    input: () => ({}),
    outside: () => ({ branch: otherBranch }),
  },
  'insight.refresh': { expect: only('admin', 'strategist'), input: () => ({ period: '2026-10' }) },
  'insight.summary': { expect: only('admin', 'strategist', 'viewer') },
  'insight.matrix': {
    expect: SCOPED,
    input: () => ({ dimension: 'aum_tier' }),
    outside: () => ({ dimension: 'aum_tier', branch: otherBranch }),
    check: (w, data: { branch: { id: number }; cells: { customers: number; stage: string }[] }) => {
      expect(data.branch.id).toBe(unitOf(w));
      const total = data.cells.reduce((a, c) => a + c.customers, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThan(bankTotal);
    },
  },
  'insight.profile': {
    expect: SCOPED,
    input: (w) => ({ customer: mine(w) }),
    outside: (w) => ({ customer: notMine(w) }),
  },
  'insight.clusterLab': {
    expect: only('admin', 'strategist'),
    input: () => ({ features: ['aum', 'age'], kMin: 2, kMax: 3, sample: 200 }),
  },
  'lifecycle.periods': { expect: SIGNED_IN },
  'lifecycle.funnel': {
    expect: SCOPED,
    input: () => ({}),
    outside: () => ({ branch: otherBranch }),
    check: (w, data: { branch: { id: number }; total: number }) => {
      expect(data.branch.id).toBe(unitOf(w));
      expect(data.total).toBeLessThanOrEqual(subtreeCount(unitOf(w)));
      expect(data.total).toBeGreaterThan(0);
    },
  },
  'lifecycle.migration': {
    expect: SCOPED,
    input: () => ({}),
    outside: () => ({ branch: otherBranch }),
    check: (w, data: { branch: { id: number } }) => expect(data.branch.id).toBe(unitOf(w)),
  },
  'org.units': { expect: SIGNED_IN },
  'segments.preview': {
    expect: SCOPED,
    input: () => ({ rule, sample: 50 }),
    check: (w, data: { count: number; universe: number; sample: { externalId: string }[] }) => {
      expect(data.universe).toBeLessThanOrEqual(
        w === 'relationship_manager' ? subtreeCount(rm.orgUnitId) : subtreeCount(branch.id),
      );
      expect(data.universe).toBeLessThan(bankTotal);
      for (const s of data.sample) {
        const row = db.sqlite
          .prepare(
            'SELECT c.rm_id AS rm, u.path FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.external_id = ?',
          )
          .get(s.externalId) as { rm: number | null; path: string };
        if (w === 'relationship_manager') expect(row.rm).toBe(rm.id);
        else expect(row.path.startsWith(branch.path)).toBe(true);
      }
    },
  },
  'segments.save': {
    expect: only('admin', 'strategist'),
    input: () => ({ key: `adults_${++segmentKey}`, name: '成年客户', nameEn: 'Adults', rule }),
  },
  'segments.list': { expect: SIGNED_IN },
  'segments.update': {
    expect: only('admin', 'strategist'),
    // the starter segment as it is: the matrix changes nothing others read
    input: () => {
      const row = db.sqlite
        .prepare(
          "SELECT name, name_en AS nameEn, rule, priority, exclusive FROM segments WHERE key = 'seniors'",
        )
        .get() as {
        name: string;
        nameEn: string;
        rule: string;
        priority: number;
        exclusive: number;
      };
      return {
        key: 'seniors',
        name: row.name,
        nameEn: row.nameEn,
        rule: JSON.parse(row.rule),
        priority: row.priority,
        exclusive: row.exclusive === 1,
      };
    },
  },
  'imports.fields': { expect: only('admin', 'strategist') },
  'imports.list': { expect: only('admin', 'strategist') },
  'imports.get': { expect: only('admin', 'strategist'), input: () => ({ id: importRun }) },
  'imports.mappings': { expect: only('admin', 'strategist') },
  'users.list': { expect: only('admin') },
  'users.create': {
    expect: only('admin'),
    input: (w) => ({
      username: `made.by.${w}`,
      displayName: 'New',
      role: 'viewer',
      password: 'a long enough password',
    }),
  },
  'lists.generate': {
    expect: only('admin', 'strategist'),
    input: () => ({ keys: ['matrix-list'] }),
  },
  'lists.get': { expect: SIGNED_IN, input: () => ({ id: listId }) },
  'lists.list': { expect: SIGNED_IN, input: () => ({ strategy: 'matrix-list' }) },
  'lists.preview': {
    expect: only('admin', 'strategist'),
    input: () => ({ keys: ['matrix-list'] }),
  },
  'lists.entries': {
    expect: SCOPED,
    input: () => ({ id: listId, limit: 1_000 }),
    check: (w, data: { externalId: string }[]) => {
      expect(data.length).toBeGreaterThan(0);
      for (const e of data) {
        const row = db.sqlite
          .prepare(
            'SELECT c.rm_id AS rm, u.path FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.external_id = ?',
          )
          .get(e.externalId) as { rm: number | null; path: string };
        if (w === 'relationship_manager') expect(row.rm).toBe(rm.id);
        else expect(row.path.startsWith(branch.path)).toBe(true);
      }
    },
  },
  'outcomes.record': {
    expect: {
      ...only('admin', 'strategist', 'branch_manager', 'relationship_manager'),
      branch_manager: 'scoped',
      relationship_manager: 'scoped',
    },
    input: (w) => ({
      listId,
      outcomes: [{ customerId: listed(w), contacted: true, occurredOn: '2026-11-20' }],
    }),
    outside: (w) => ({
      listId,
      outcomes: [{ customerId: notListedForMe(w), contacted: true, occurredOn: '2026-11-20' }],
    }),
  },
  'outcomes.board': { expect: only('admin', 'strategist', 'viewer') },
  'outcomes.review': {
    expect: only('admin', 'strategist', 'viewer'),
    input: () => ({ key: 'matrix-list' }),
  },
  'events.ingest': {
    expect: only('admin', 'strategist'),
    input: (w) => ({
      customer: inBranch,
      type: 'complaint',
      occurredOn: '2026-11-20',
      externalId: `matrix-${w}`,
    }),
  },
  'events.tasks': {
    expect: SCOPED,
    check: (w, data: { customerId: number }[]) => {
      for (const t of data) {
        const row = db.sqlite
          .prepare(
            'SELECT c.rm_id AS rm, u.path FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.id = ?',
          )
          .get(t.customerId) as { rm: number | null; path: string };
        if (w === 'relationship_manager') expect(row.rm).toBe(rm.id);
        else expect(row.path.startsWith(branch.path)).toBe(true);
      }
    },
  },
  'strategies.list': { expect: SIGNED_IN },
  'strategies.models': { expect: SIGNED_IN },
  'outcomes.plan': {
    expect: SIGNED_IN,
    input: () => ({ baseline: 0.1, controlShare: 0.1, uplift: 0.02 }),
  },
  'strategies.map': {
    expect: SCOPED,
    input: () => ({}),
    outside: () => ({ branch: otherBranch }),
    check: (
      w,
      data: { branch: { id: number }; cells: { customers: number }[]; results: object },
    ) => {
      expect(data.branch.id).toBe(unitOf(w));
      expect(data.results).toEqual({}); // bank-wide results are not for branch roles
      const total = data.cells.reduce((a, c) => a + c.customers, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(subtreeCount(unitOf(w)));
    },
  },
  'strategies.get': { expect: SIGNED_IN, input: () => ({ key: 'matrix-strategy' }) },
  'strategies.create': {
    expect: only('admin', 'strategist'),
    input: (w) => ({ key: `made-by-${w.replaceAll('_', '-')}`, definition: strategyDefinition }),
  },
  'strategies.update': {
    expect: only('admin', 'strategist'),
    input: (w) => ({
      key: 'matrix-strategy',
      definition: { ...strategyDefinition, priority: w.length },
    }),
  },
  'strategies.setStatus': {
    expect: only('admin', 'strategist'),
    input: () => ({ key: 'matrix-strategy', status: 'active' }),
  },
  'users.setDisabled': {
    expect: only('admin'),
    input: () => ({ id: userIds.viewer, disabled: false }),
  },
};

describe('authorization matrix', () => {
  const procedures = Object.keys(appRouter._def.procedures);

  it('has an entry for every procedure, and no entry for a procedure that does not exist', () => {
    expect(procedures.filter((p) => !(p in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  it('allows, denies and scopes every procedure for every role, over HTTP', async () => {
    let calls = 0;
    for (const path of procedures) {
      const entry = MATRIX[path] as Entry;
      for (const who of WHO) {
        const want = entry.expect[who];
        const res = await call(who, path, entry.input?.(who));
        calls++;
        const where = `${path} as ${who}: ${res.status} ${res.error ?? ''}`;
        if (want === 'ok' || want === 'scoped') expect(res.status, where).toBe(200);
        else expect(res.status, where).toBe(want);
        if (want === 'scoped') {
          entry.check?.(who, res.data);
          if (entry.outside) {
            const out = await call(who, path, entry.outside(who));
            calls++;
            expect(out.status, `${path} as ${who}, outside the scope`).toBe(404);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(procedures.length * WHO.length);
  }, 120_000);

  it("a branch manager asking for another branch's customer gets the same answer as for no customer", async () => {
    const other = await call('branch_manager', 'customers.get', { customer: elsewhere });
    const none = await call('branch_manager', 'customers.get', { customer: 9_999_999 });
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    expect(other.error?.replace(String(elsewhere), 'N')).toBe(none.error?.replace('9999999', 'N'));
  });

  it('no response to a role without the permission holds an unmasked ID number or phone of the bank', () => {
    const personal = new Set(
      (
        db.sqlite.prepare('SELECT id_number, phone FROM customers').raw().all() as (
          string | null
        )[][]
      )
        .flat()
        .filter((v): v is string => v !== null),
    );
    expect(personal.size).toBeGreaterThan(400);
    let scanned = 0;
    for (const { who, path, text } of bodies) {
      if (who === 'admin' && path === 'customers.reveal') continue; // the one permitted unmasking
      scanned++;
      for (const m of text.matchAll(/[0-9A-Z]{11,18}/g))
        expect(personal.has(m[0]), `${path} as ${who}`).toBe(false);
    }
    expect(scanned).toBeGreaterThan(100);
  });

  it('logs every request as JSON, with no personal data, password or token in any line', () => {
    expect(logLines.length).toBeGreaterThan(140);
    const first = JSON.parse(logLines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({
      msg: 'request',
      method: expect.any(String),
      status: expect.any(Number),
    });
    const personal = (
      db.sqlite.prepare('SELECT id_number, phone, name FROM customers').raw().all() as (
        string | null
      )[][]
    )
      .flat()
      .filter((v): v is string => v !== null && v.length >= 2);
    const secrets = (
      db.sqlite.prepare('SELECT csrf FROM sessions').pluck().all() as string[]
    ).concat('correct horse battery');
    const log = logLines.join('');
    for (const value of [...personal, ...secrets]) expect(log.includes(value), value).toBe(false);
    expect(log).not.toMatch(/input=|customer=/);
  });

  it('exports a list’s treatment customers within the caller’s scope, masked, and audits it', async () => {
    const get = async (who: Who, query = '') => {
      const headers: Record<string, string> = {};
      if (who !== 'anonymous')
        headers.cookie = `strata_session=${createSession(db, userIds[who] as number, clock()).token}`;
      const res = await fetch(`${base}/api/lists/${listId}.csv${query}`, { headers });
      return { status: res.status, text: await res.text() };
    };
    expect((await get('anonymous')).status).toBe(401);
    expect((await get('viewer')).status).toBe(403);
    const all = await get('admin');
    const mine = await get('branch_manager');
    expect(all.status).toBe(200);
    const rows = (t: string) => t.trim().split('\r\n').slice(1);
    const PHONE = all.text.split('\r\n')[0]?.split(',').indexOf('phone') as number;
    expect(PHONE).toBeGreaterThan(0);
    expect(all.text.split('\r\n')[1]?.split(',')[0]).toBe(`matrix-list-L${listId}`); // the campaign code
    const treatment = db.sqlite
      .prepare("SELECT count(*) FROM list_entries WHERE list_id = ? AND arm = 'treatment'")
      .pluck()
      .get(listId) as number;
    expect(rows(all.text)).toHaveLength(treatment);
    expect(rows(mine.text).length).toBeGreaterThan(0);
    expect(rows(mine.text).length).toBeLessThan(treatment);
    const phones = new Set(
      db.sqlite
        .prepare('SELECT phone FROM customers WHERE phone IS NOT NULL')
        .pluck()
        .all() as string[],
    );
    for (const line of rows(all.text))
      expect(phones.has(line.split(',')[PHONE] as string)).toBe(false);
    expect((await get('admin', '?unmasked=1')).status).toBe(400); // a reason is needed
    expect((await get('branch_manager', '?unmasked=1&reason=call%20back')).status).toBe(403);
    const open = await get('admin', '?unmasked=1&reason=call-out%20campaign');
    expect(rows(open.text).some((l) => phones.has(l.split(',')[PHONE] as string))).toBe(true);
    const audited = db.sqlite
      .prepare("SELECT detail FROM audit_log WHERE action = 'list.export' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(audited).toHaveLength(3);
    expect(JSON.parse(audited[2] as string)).toMatchObject({
      unmasked: true,
      reason: 'call-out campaign',
    });
  });
});
