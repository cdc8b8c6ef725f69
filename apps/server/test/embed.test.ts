// Embed tokens over HTTP: a portal's back end signs a short-lived JWT with an embed key; the
// server verifies it (key, algorithm, expiry, lifetime, origin) and applies exactly its scope.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEmbedKey,
  createStrategy,
  generateStrategyLists,
  rotateEmbedKey,
  revokeEmbedKey,
  setStrategyStatus,
  type StrataDb,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { openTestDatabase } from '@strata/db/testing';

let now = new Date('2026-11-22T09:00:00Z');
const clock = () => now;
const PORTAL = 'https://portal.bank.example';
const setup = { actor: 'setup', origin: null };

let db: StrataDb;
let server: Server;
let base: string;
let hs: { kid: string; secret: string };
let listId: number;
/** The RM whose book the tokens act for, two of their treatment customers, and another's. */
let rm: { code: string; id: number; orgUnitId: number };
let mineA: { id: number; ext: string };
let mineB: { id: number; ext: string };
let notMine: { id: number; ext: string };
let branchCode: string;
let otherBranchCode: string;

const definition = {
  name: '代发客户理财首购',
  nameEn: 'First wealth product for payroll customers',
  objective: 'aum',
  audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 0 } },
  products: ['WM-90D'],
  channel: 'branch_rm',
  script: '您好，您的代发资金可以考虑 90 天稳健理财。',
  schedule: { kind: 'monthly', day: 3 },
  priority: 20,
  controlShare: 0.1,
  kpi: { metric: 'conversion_rate', target: 0.05 },
  evaluationDays: 30,
  owner: 'setup',
};

beforeAll(async () => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 6, retail: 500, corporate: 40 }, undefined, clock);
  createStrategy(db, 'payroll-wealth', definition, { actor: 'setup', now: clock() });
  setStrategyStatus(db, 'payroll-wealth', 'active', { actor: 'setup', now: clock() });
  listId = (
    generateStrategyLists(db, { keys: ['payroll-wealth'], actor: 'setup', now: clock() })[0] as {
      id: number;
    }
  ).id;
  rm = db.sqlite
    .prepare(
      `SELECT r.code, r.id, r.org_unit_id AS orgUnitId FROM relationship_managers r
       JOIN list_entries e ON e.rm_id = r.id AND e.list_id = ? AND e.arm = 'treatment'
       GROUP BY r.id ORDER BY count(*) DESC LIMIT 1`,
    )
    .get(listId) as typeof rm;
  const treated = db.sqlite
    .prepare(
      `SELECT c.id, c.external_id AS ext FROM list_entries e JOIN customers c ON c.id = e.customer_id
       WHERE e.list_id = ? AND e.arm = 'treatment' AND c.rm_id = ? ORDER BY c.id LIMIT 2`,
    )
    .all(listId, rm.id) as { id: number; ext: string }[];
  [mineA, mineB] = treated as [typeof mineA, typeof mineB];
  notMine = db.sqlite
    .prepare(
      `SELECT c.id, c.external_id AS ext FROM list_entries e JOIN customers c ON c.id = e.customer_id
       WHERE e.list_id = ? AND e.arm = 'treatment' AND (c.rm_id IS NULL OR c.rm_id <> ?) ORDER BY c.id LIMIT 1`,
    )
    .get(listId, rm.id) as typeof notMine;
  branchCode = db.sqlite
    .prepare('SELECT code FROM org_units WHERE id = ?')
    .pluck()
    .get(rm.orgUnitId) as string;
  otherBranchCode = db.sqlite
    .prepare("SELECT code FROM org_units WHERE kind = 'sub_branch' AND id <> ? LIMIT 1")
    .pluck()
    .get(rm.orgUnitId) as string;
  const created = createEmbedKey(
    db,
    { name: 'RM workbench', alg: 'HS256', origins: [PORTAL] },
    setup,
    clock(),
  );
  hs = { kid: created.key.kid, secret: created.secret as string };
  server = createApp({ db, widgetDir: bundleDir, embedOrigins: [], maxBody: 1 << 20, now: clock });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
});

/** What a portal's back end does: signs a token for the signed-in RM (jose, as in the README). */
async function sign(
  claims: Record<string, unknown>,
  options: { kid?: string; secret?: string; lifetime?: number; iat?: number } = {},
) {
  const iat = options.iat ?? Math.floor(now.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: options.kid ?? hs.kid })
    .setSubject((claims.sub as string | undefined) ?? `rm:${rm.code}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetime ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? hs.secret));
}

async function call(
  token: string,
  path: string,
  input: unknown,
  options: { origin?: string | null; mutation?: boolean } = {},
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const origin = options.origin === undefined ? PORTAL : options.origin;
  if (origin) headers.origin = origin;
  const res = options.mutation
    ? await fetch(`${base}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) })
    : await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers,
      });
  const text = await res.text();
  const body = JSON.parse(text) as { result?: { data: unknown }; error?: { message: string } };
  return {
    status: res.status,
    data: body.result?.data as never,
    error: body.error?.message ?? '',
    text,
    allowOrigin: res.headers.get('access-control-allow-origin'),
  };
}

describe('embed tokens', () => {
  it('a token scoped to customer A reads A, not B (404, nothing leaked), and no aggregate', async () => {
    const token = await sign({ scope: { customers: [mineA.ext] } });
    const a = await call(token, 'insight.profile', { customer: mineA.ext });
    expect(a.status, a.error).toBe(200);
    expect(a.allowOrigin).toBe(PORTAL);
    const b = await call(token, 'insight.profile', { customer: mineB.ext });
    const none = await call(token, 'insight.profile', { customer: 'NO-SUCH-ONE' });
    expect(b.status).toBe(404);
    expect(b.error.replace(mineB.ext, 'X')).toBe(none.error.replace('NO-SUCH-ONE', 'X'));
    expect(b.text).not.toContain(String(mineB.id));
    expect((await call(token, 'actions.next', { customer: mineB.id })).status).toBe(404);
    const next = await call(token, 'actions.next', {});
    expect(next.status).toBe(200);
    expect(
      (next.data as { actions: { customerId: number }[] }).actions.map((x) => x.customerId),
    ).toEqual([mineA.id]);
    const funnel = await call(token, 'lifecycle.funnel', {});
    expect(funnel.status).toBe(403);
    expect(funnel.error).toContain('customers scope');
  });

  it('a token for an RM without a narrowing sees exactly that RM’s book', async () => {
    const token = await sign({});
    expect((await call(token, 'customers.get', { customer: mineB.id })).status).toBe(200);
    expect((await call(token, 'customers.get', { customer: notMine.id })).status).toBe(404);
    const next = await call(token, 'actions.next', { limit: 200 });
    const ids = (next.data as { actions: { customerId: number }[] }).actions.map(
      (x) => x.customerId,
    );
    const book = db.sqlite
      .prepare(
        `SELECT e.customer_id FROM list_entries e JOIN customers c ON c.id = e.customer_id
         WHERE e.list_id = ? AND e.arm = 'treatment' AND c.rm_id = ? ORDER BY 1`,
      )
      .pluck()
      .all(listId, rm.id) as number[];
    expect([...ids].sort((x, y) => x - y)).toEqual(book);
  });

  it('refuses an expired token, a wrong signature, an overlong one, an unknown key and a bad sub', async () => {
    const expired = await sign({}, { iat: Math.floor(now.getTime() / 1000) - 4000, lifetime: 600 });
    const r1 = await call(expired, 'customers.get', { customer: mineA.id });
    expect([r1.status, r1.error]).toEqual([401, 'The embed token has expired.']);
    const forged = await sign({}, { secret: 'not-the-secret-at-all-not-the-secret-at-all' });
    const r2 = await call(forged, 'customers.get', { customer: mineA.id });
    expect([r2.status, r2.error]).toEqual([401, 'The embed token’s signature does not verify.']);
    const long = await sign({}, { lifetime: 86_400 });
    const r3 = await call(long, 'customers.get', { customer: mineA.id });
    expect(r3.status).toBe(401);
    expect(r3.error).toContain('at most 3600 s');
    const unknown = await sign({}, { kid: 'sek_nosuchkey1' });
    expect((await call(unknown, 'customers.get', { customer: mineA.id })).status).toBe(401);
    const stranger = await sign({ sub: 'rm:NOBODY' });
    const r5 = await call(stranger, 'customers.get', { customer: mineA.id });
    expect(r5.status).toBe(403);
    expect(r5.error).toContain('no relationship manager "NOBODY"');
  });

  it('refuses a request from an origin not on the key’s list, or with no origin, and CORS says so', async () => {
    const token = await sign({});
    const evil = await call(
      token,
      'customers.get',
      { customer: mineA.id },
      { origin: 'https://evil.example' },
    );
    expect(evil.status).toBe(403);
    expect(evil.error).toBe(`Origin https://evil.example is not allowed for embed key ${hs.kid}.`);
    expect(evil.allowOrigin).toBeNull();
    const bare = await call(token, 'customers.get', { customer: mineA.id }, { origin: null });
    expect(bare.status).toBe(403);
    const preflight = (origin: string) =>
      fetch(`${base}/trpc/actions.record`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    expect((await preflight(PORTAL)).headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(
      (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('keeps widgets to what they are for: no dashboard-only procedure, no unmasking', async () => {
    const token = await sign({});
    const search = await call(token, 'customers.search', {});
    expect([search.status, search.error]).toEqual([
      403,
      'This is not available to embedded widgets.',
    ]);
    const reveal = await call(
      token,
      'customers.reveal',
      { customer: mineA.id, field: 'phone', reason: 'portal asked' },
      { mutation: true },
    );
    expect(reveal.status).toBe(403);
    const card = await call(token, 'customers.get', { customer: mineA.id });
    const phone = db.sqlite
      .prepare('SELECT phone FROM customers WHERE id = ?')
      .pluck()
      .get(mineA.id);
    expect(card.text).not.toContain(String(phone));
    expect((card.data as { phone: string }).phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('a branch token sees that branch; one outside the person’s scope is refused', async () => {
    const token = await sign({ sub: `rm:${rm.code}`, scope: { branch: branchCode } });
    const funnel = await call(token, 'lifecycle.funnel', {});
    expect(funnel.status, funnel.error).toBe(200);
    expect((funnel.data as { branch: { code: string } }).branch.code).toBe(branchCode);
    const outside = await sign({ scope: { branch: otherBranchCode } });
    const refused = await call(outside, 'lifecycle.funnel', {});
    expect(refused.status).toBe(403);
    expect(refused.error).toContain(`branch ${otherBranchCode} is not inside`);
  });

  it('a resources token reads the named strategy’s KPI only', async () => {
    const token = await sign({ scope: { resources: ['strategy:payroll-wealth'] } });
    const kpi = await call(token, 'kpi.strategy', { key: 'payroll-wealth' });
    expect(kpi.status, kpi.error).toBe(200);
    const inBook = db.sqlite
      .prepare(
        `SELECT count(*) FROM list_entries e JOIN customers c ON c.id = e.customer_id
         WHERE e.list_id = ? AND e.arm = 'treatment' AND c.rm_id = ?`,
      )
      .pluck()
      .get(listId, rm.id);
    expect((kpi.data as { reach: number }).reach).toBe(inBook);
    expect((await call(token, 'kpi.segment', { key: 'payroll_no_wealth' })).status).toBe(403);
    expect((await call(token, 'customers.get', { customer: mineA.id })).status).toBe(403);
  });

  it('records an outcome as the acting RM, on the list the review counts, audited with the key', async () => {
    const token = await sign({ scope: { customers: [mineA.ext] } });
    const res = await call(
      token,
      'actions.record',
      { listId, customer: mineA.id, result: 'converted', amount: 50_000 },
      { mutation: true },
    );
    expect(res.status, res.error).toBe(200);
    const row = db.sqlite
      .prepare(
        'SELECT contacted, responded, converted, amount, recorded_by AS by FROM list_outcomes WHERE list_id = ? AND customer_id = ?',
      )
      .get(listId, mineA.id);
    expect(row).toEqual({
      contacted: 1,
      responded: 1,
      converted: 1,
      amount: 50_000,
      by: `rm:${rm.code} via embed:${hs.kid}`,
    });
    const audit = db.sqlite
      .prepare(
        "SELECT actor, origin FROM audit_log WHERE action = 'outcome.record' ORDER BY id DESC LIMIT 1",
      )
      .get();
    expect(audit).toEqual({ actor: `rm:${rm.code} via embed:${hs.kid}`, origin: PORTAL });
    // converted: no longer a next action
    const next = await call(token, 'actions.next', { customer: mineA.id });
    expect((next.data as { actions: unknown[] }).actions).toEqual([]);
    // another customer's outcome is not the token's to write
    const other = await call(
      token,
      'actions.record',
      { listId, customer: mineB.id, result: 'contacted' },
      { mutation: true },
    );
    expect(other.status).toBe(404);
  });

  it('verifies ES256 tokens with the portal’s public key, and only with ES256', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const key = createEmbedKey(
      db,
      { name: 'CRM', alg: 'ES256', origins: [PORTAL], publicJwk: JSON.stringify(jwk) },
      setup,
      clock(),
    ).key;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject(`rm:${rm.code}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .sign(privateKey);
    expect((await call(token, 'customers.get', { customer: mineA.id })).status).toBe(200);
    // an HS256 token naming the ES256 key (signed with its public key as a secret) is refused
    const confused = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject(`rm:${rm.code}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .sign(new TextEncoder().encode(JSON.stringify(jwk)));
    const r = await call(confused, 'customers.get', { customer: mineA.id });
    expect([r.status, r.error]).toEqual([401, 'The embed token must be signed with ES256.']);
  });

  it('rotates with a grace period, and revokes at once', async () => {
    const rotated = rotateEmbedKey(db, hs.kid, { graceSeconds: 3600 }, setup, clock());
    expect(rotated).toBeDefined();
    const next = { kid: rotated?.key.kid as string, secret: rotated?.secret as string };
    const old = await sign({});
    const fresh = await sign({}, next);
    expect((await call(old, 'customers.get', { customer: mineA.id })).status).toBe(200);
    expect((await call(fresh, 'customers.get', { customer: mineA.id })).status).toBe(200);
    now = new Date(now.getTime() + 3601_000); // the grace is over
    const late = await sign({});
    expect((await call(late, 'customers.get', { customer: mineA.id })).status).toBe(401);
    const stillFresh = await sign({}, next);
    expect((await call(stillFresh, 'customers.get', { customer: mineA.id })).status).toBe(200);
    expect(revokeEmbedKey(db, next.kid, setup, clock())).toBe(true);
    const r = await call(stillFresh, 'customers.get', { customer: mineA.id });
    expect([r.status, r.error]).toEqual([
      401,
      `Embed key ${next.kid} does not exist or was revoked.`,
    ]);
  });
});
