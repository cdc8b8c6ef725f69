import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@strata/api';
import { createServiceToken, getSegmentMembers, openDatabase, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { createTRPCClient, httpLink } from '@trpc/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

let dir: string;
let db: StrataDb;
let server: Server;
let base: string;
/** A strategist's service token: every call below is made as one. */
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-http-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(
    db,
    { seed: 21, retail: 2_000, corporate: 200 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  server = createApp({
    db,
    widgetDir: bundleDir,
    embedOrigins: ['http://portal.example'],
    maxBody: 1024,
  });
  token = createServiceToken(db, { name: 'http-test', role: 'strategist' }).token;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, headers: auth })] });

describe('lifecycle.funnel over HTTP', () => {
  it('returns the same counts as a direct SQL count on the database file', async () => {
    const funnel = await client().lifecycle.funnel.query({ period: '2026-10' });
    // A second, independent connection to the same file.
    const direct = new Database(join(dir, 'strata.db'), { readonly: true });
    try {
      const rows = direct
        .prepare(
          `SELECT stage, count(*) AS n FROM lifecycle_stages
           WHERE period = '2026-10' AND run_id = (SELECT max(id) FROM lifecycle_runs WHERE status = 'succeeded') GROUP BY stage`,
        )
        .all() as { stage: string; n: number }[];
      const expected = Object.fromEntries(rows.map((r) => [r.stage, r.n]));
      for (const row of funnel.rows) expect(row.count, row.stage).toBe(expected[row.stage] ?? 0);
      expect(funnel.total).toBe(rows.reduce((a, r) => a + r.n, 0));
    } finally {
      direct.close();
    }
  });

  it('answers bad input with 400, the field and the reason, and no stack trace', async () => {
    const response = await fetch(
      `${base}/trpc/lifecycle.funnel?input=${encodeURIComponent(JSON.stringify({ period: '2026-1' }))}`,
      { headers: auth() },
    );
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('a period is written YYYY-MM');
    expect(text).toContain('"path":"period"');
    expect(text).not.toMatch(/stack|at .*\.js:\d+/);
  });

  it('refuses a request body over the size limit', async () => {
    const response = await fetch(`${base}/trpc/lifecycle.funnel`, {
      method: 'POST',
      body: 'x'.repeat(5_000),
      headers: { 'content-type': 'application/json', ...auth() },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('the HTTP server', () => {
  it('answers /health', async () => {
    const response = await fetch(`${base}/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('sends security headers, and a CSP under which an API response can run nothing', async () => {
    const response = await fetch(`${base}/trpc/health`);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP here
    const behindTls = await fetch(`${base}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('serves the widget bundle as JavaScript to any page (it holds nothing secret)', async () => {
    const response = await fetch(`${base}/widgets/strata-widgets.js`, {
      headers: { origin: 'http://anywhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const bundle = await response.text();
    for (const tag of [
      'lifecycle-funnel',
      'customer-profile',
      'next-actions',
      'strategy-map',
      'kpi',
    ])
      expect(bundle).toContain(`strata-${tag}`);
  });

  it('grants CORS on the API to a listed origin', async () => {
    const response = await fetch(`${base}/trpc/health`, {
      headers: { origin: 'http://portal.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://portal.example');
  });

  it('gives no CORS grant to an origin not on the list', async () => {
    const response = await fetch(`${base}/trpc/health`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('does not serve files outside the bundle', async () => {
    const response = await fetch(`${base}/widgets/..%2F..%2Fpackage.json`);
    expect(response.status).toBe(404);
  });
});

describe('the insight journey over HTTP', () => {
  it('defines a segment, previews it, refreshes, and reads a member’s profile with the why', async () => {
    const api = client();
    const rule = {
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'payroll_customer', op: '=', value: true },
        { kind: 'cmp', field: 'aum', op: '>=', value: 20_000 },
      ],
    };
    const preview = await api.segments.preview.query({ rule, period: '2026-10', sample: 3 });
    expect(preview.count).toBeGreaterThan(0);
    expect(preview.sentence.en).toMatch(/payroll/i);
    await api.segments.save.mutate({
      key: 'payroll_savers',
      name: '代发储蓄',
      nameEn: 'Payroll savers',
      rule,
      priority: 7,
    });
    const run = await api.insight.refresh.mutate({ period: '2026-10' });
    const summary = await api.insight.summary.query({ period: '2026-10' });
    expect(summary.id).toBe(run.runId);
    expect(summary.summary.segments.find((s) => s.key === 'payroll_savers')?.count).toBe(
      preview.count,
    );
    const matrix = await api.insight.matrix.query({ dimension: 'segment' });
    const cells = matrix.cells.filter((c) => c.value === 'payroll_savers');
    expect(cells.reduce((a, c) => a + c.customers, 0)).toBe(preview.count);
    const member = getSegmentMembers(db, run.runId, 'payroll_savers')[0] as number;
    const profile = await api.insight.profile.query({ customer: member });
    const tag = profile.tags.find((t) => t.key === 'payroll_savers');
    expect(tag?.rule?.children?.every((c) => c.pass)).toBe(true);
    expect(profile.tags.some((t) => t.kind === 'stage')).toBe(true);
    expect(JSON.stringify(profile)).not.toMatch(/id_number|phone/);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once an address passes its requests per minute', async () => {
    const limited = createApp({
      db,
      widgetDir: bundleDir,
      embedOrigins: [],
      maxBody: 1024,
      rateLimit: 3,
      now: () => new Date('2026-11-22T09:00:10Z'),
    });
    await new Promise<void>((done) => limited.listen(0, '127.0.0.1', done));
    const at = `http://127.0.0.1:${(limited.address() as AddressInfo).port}`;
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${at}/trpc/health`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const refused = await fetch(`${at}/trpc/health`);
      expect(refused.headers.get('retry-after')).toBe('50');
      expect((await fetch(`${at}/health`)).status).toBe(200); // liveness checks are not limited
    } finally {
      await new Promise((done) => limited.close(done));
    }
  });

  it('counts the dashboard’s own calls against the browser’s address, vouched for by the internal key', async () => {
    const limited = createApp({
      db,
      widgetDir: bundleDir,
      embedOrigins: [],
      maxBody: 1024,
      rateLimit: 2,
      internalKey: 'k'.repeat(32),
      now: () => new Date('2026-11-22T09:00:10Z'),
    });
    await new Promise<void>((done) => limited.listen(0, '127.0.0.1', done));
    const at = `http://127.0.0.1:${(limited.address() as AddressInfo).port}`;
    const as = (client: string, key = 'k'.repeat(32)) =>
      fetch(`${at}/trpc/health`, {
        headers: { 'x-strata-internal': key, 'x-strata-client': client },
      }).then((r) => r.status);
    try {
      expect([await as('10.0.0.1'), await as('10.0.0.1'), await as('10.0.0.1')]).toEqual([
        200, 200, 429,
      ]);
      expect(await as('10.0.0.2')).toBe(200); // another browser, its own count
      // a wrong key is not believed: the socket's address counts
      expect([
        await as('10.0.0.3', 'x'.repeat(32)),
        await as('10.0.0.4', 'x'.repeat(32)),
        await as('10.0.0.5', 'x'.repeat(32)),
      ]).toEqual([200, 200, 429]);
    } finally {
      await new Promise((done) => limited.close(done));
    }
  });
});
