import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createServiceToken,
  createSession,
  createUser,
  revokeServiceToken,
  verifyAuditLog,
  type StrataDb,
} from '@strata/db';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { openTestDatabase } from '@strata/db/testing';

let db: StrataDb;
let server: Server;
let base: string;

beforeAll(async () => {
  db = openTestDatabase();
  server = createApp({ db, widgetDir: bundleDir, embedOrigins: [], maxBody: 4096 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
});

/** Calls a procedure over HTTP as a browser would, with an optional cookie and CSRF header. */
async function call(
  path: string,
  input: unknown,
  opts: { cookie?: string; csrf?: string; query?: boolean; bearer?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-strata-csrf'] = opts.csrf;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const res = opts.query
    ? await fetch(
        `${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
        { headers },
      )
    : await fetch(`${base}/trpc/${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      });
  const body = (await res.json()) as {
    result?: { data: Record<string, unknown> };
    error?: { message: string };
  };
  return { status: res.status, body, setCookie: res.headers.get('set-cookie') };
}

const rule = { kind: 'cmp', field: 'age', op: '>=', value: 60 };

describe('signing in', () => {
  let cookie = '';
  let csrf = '';

  it('opens the first-run setup once, sets an HttpOnly SameSite=Strict cookie, then closes it', async () => {
    expect(
      (await call('auth.status', undefined, { query: true })).body.result?.data.setupOpen,
    ).toBe(true);
    const setup = await call('auth.setup', {
      username: 'admin',
      displayName: '管理员',
      password: 'first-admin-password',
    });
    expect(setup.status).toBe(200);
    expect(setup.setCookie).toMatch(
      /^strata_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Expires=/,
    );
    expect(setup.setCookie).not.toMatch(/Secure/); // plain HTTP here; Secure behind TLS
    cookie = (setup.setCookie ?? '').split(';')[0] ?? '';
    csrf = String(setup.body.result?.data.csrf);
    const again = await call('auth.setup', {
      username: 'admin2',
      displayName: 'x',
      password: 'another-password!',
    });
    expect(again.status).toBe(403);
    expect(again.body.error?.message).toMatch(/setup is closed/);
    const status = await call('auth.status', undefined, { query: true, cookie });
    expect((status.body.result?.data.user as { username: string }).username).toBe('admin');
  });

  it('refuses a signed-in mutation without the CSRF header, and takes it with', async () => {
    const save = { key: 'seniors_60', name: '老年客群', nameEn: 'Seniors 60+', rule };
    const without = await call('segments.save', save, { cookie });
    expect(without.status).toBe(403);
    expect(without.body.error?.message).toMatch(/x-strata-csrf/);
    expect(
      db.sqlite.prepare("SELECT count(*) FROM segments WHERE key = 'seniors_60'").pluck().get(),
    ).toBe(0);
    const wrong = await call('segments.save', save, { cookie, csrf: 'forged' });
    expect(wrong.status).toBe(403);
    const right = await call('segments.save', save, { cookie, csrf });
    expect(right.status).toBe(200);
  });

  it('answers a wrong password and an unknown user alike, and locks out after five failures', async () => {
    const wrong = await call('auth.login', { username: 'admin', password: 'not-the-password' });
    const unknown = await call('auth.login', { username: 'nobody', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error?.message).toBe(unknown.body.error?.message);
    for (let k = 0; k < 4; k++)
      await call('auth.login', { username: 'admin', password: 'still-wrong-password' });
    const locked = await call('auth.login', {
      username: 'admin',
      password: 'first-admin-password',
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error?.message).toMatch(/try again in 15 minutes/);
  });

  it('ends the session on logout, and audits every step in an intact chain', async () => {
    const out = await call('auth.logout', {}, { cookie, csrf });
    expect(out.status).toBe(200);
    expect(out.setCookie).toMatch(/strata_session=; .*Max-Age=0/);
    const status = await call('auth.status', undefined, { query: true, cookie });
    expect(status.body.result?.data.user).toBeNull();
    const actions = db.sqlite.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all();
    expect(actions).toEqual([
      'setup',
      'segment.create',
      'login.failed',
      'login.failed',
      'login.failed',
      'login.failed',
      'login.failed',
      'login.failed',
      'logout',
    ]);
    expect(verifyAuditLog(db).ok).toBe(true);
  });
});

describe('users, by an admin', () => {
  it('creates a branch manager who can sign in, then disables them and their session ends', async () => {
    db.sqlite.exec(
      "INSERT OR IGNORE INTO org_units (id, code, name, name_en, kind, parent_id, path) VALUES (1, '000000', '总行', 'Head Office', 'head_office', NULL, '/1/'), (2, '330100', '杭州分行', 'Hangzhou', 'branch', 1, '/1/2/')",
    );
    const admin = createUser(db, {
      username: 'boss',
      displayName: 'Boss',
      role: 'admin',
      password: 'the boss password',
    });
    const session = createSession(db, admin.id);
    const cookie = `strata_session=${session.token}`;
    const made = await call(
      'users.create',
      {
        username: 'zhao.lei',
        displayName: '赵磊',
        role: 'branch_manager',
        password: 'zhao lei password',
        orgUnitId: 2,
      },
      { cookie, csrf: session.csrf },
    );
    expect(made.status).toBe(200);
    const noScope = await call(
      'users.create',
      {
        username: 'qian',
        displayName: '钱',
        role: 'branch_manager',
        password: 'qian qian password',
      },
      { cookie, csrf: session.csrf },
    );
    expect(noScope.status).toBe(400);
    expect(JSON.stringify(noScope.body)).toContain('a branch manager needs the org unit');
    const login = await call('auth.login', { username: 'zhao.lei', password: 'zhao lei password' });
    expect(login.status).toBe(200);
    const theirs = /strata_session=([^;]+)/.exec(login.setCookie ?? '')?.[1] ?? '';
    const id = (made.body.result?.data as { id: number }).id;
    const off = await call(
      'users.setDisabled',
      { id, disabled: true },
      { cookie, csrf: session.csrf },
    );
    expect(off.status).toBe(200);
    const after = await call('auth.status', undefined, {
      query: true,
      cookie: `strata_session=${theirs}`,
    });
    expect(after.body.result?.data.user).toBeNull();
    expect(
      (await call('auth.login', { username: 'zhao.lei', password: 'zhao lei password' })).status,
    ).toBe(401);
  });
});

describe('service tokens over HTTP', () => {
  it('identify a machine by its bearer token, need no CSRF token, and stop when revoked', async () => {
    const { token } = createServiceToken(db, { name: 'portal-backend', role: 'strategist' });
    const status = await call('auth.status', undefined, { query: true, bearer: token });
    expect(status.body.result?.data.service).toEqual({
      name: 'portal-backend',
      role: 'strategist',
    });
    const save = await call(
      'segments.save',
      { key: 'from_portal', name: '门户客群', nameEn: 'From the portal', rule },
      { bearer: token },
    );
    expect(save.status).toBe(200);
    revokeServiceToken(db, 'portal-backend');
    const after = await call('auth.status', undefined, { query: true, bearer: token });
    expect(after.body.result?.data.service).toBeNull();
  });
});
