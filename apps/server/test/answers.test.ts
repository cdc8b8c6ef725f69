import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceToken, openDatabase, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { TEST_POSTGRES_ENV, openTestDatabase } from '@strata/db/testing';
import { bundleDir } from '@strata/widgets/bundle-dir';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

// Remembered answers (src/answers.ts): the strategy map and the funnel served again from the
// bytes sent, per caller scope and URL, until anything is written or the day changes. On a
// SQLite file, or on PostgreSQL in the `test:pg` run.

const onPostgres = process.env[TEST_POSTGRES_ENV] !== undefined;

let dir: string;
let db: StrataDb;
let server: Server;
let base: string;
let clock = new Date('2026-11-20T09:00:00Z');
const tokens: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-answers-'));
  db = onPostgres ? openTestDatabase() : openDatabase(join(dir, 'strata.db'));
  seedDemoBank(
    db,
    { seed: 22, retail: 1_500, corporate: 150 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  const branch = db.sqlite
    .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
    .pluck()
    .get() as number;
  tokens.strategist = createServiceToken(db, { name: 'a', role: 'strategist' }).token;
  tokens.otherStrategist = createServiceToken(db, { name: 'b', role: 'strategist' }).token;
  tokens.branch = createServiceToken(db, {
    name: 'c',
    role: 'branch_manager',
    orgUnitId: branch,
  }).token;
  server = createApp({
    db,
    widgetDir: bundleDir,
    embedOrigins: [],
    maxBody: 64 * 1024,
    now: () => clock,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const mapUrl = (input: object = {}) =>
  `${base}/trpc/strategies.map?input=${encodeURIComponent(JSON.stringify(input))}`;

async function get(url: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return {
    status: response.status,
    remembered: response.headers.get('x-strata-answer') === 'remembered',
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

describe('remembered answers', () => {
  it('serve a repeated map call from memory, byte for byte, to every caller of the same scope', async () => {
    const first = await get(mapUrl(), tokens.strategist as string);
    expect(first.status).toBe(200);
    expect(first.remembered).toBe(false);
    const second = await get(mapUrl(), tokens.strategist as string);
    expect(second.remembered).toBe(true);
    expect(second.body).toBe(first.body);
    expect(second.contentType).toBe(first.contentType);
    // another strategist: the same scope, the same answer
    const other = await get(mapUrl(), tokens.otherStrategist as string);
    expect(other.remembered).toBe(true);
    expect(other.body).toBe(first.body);
    // another input is another answer
    const tiers = await get(mapUrl({ dimension: 'aum_tier' }), tokens.strategist as string);
    expect(tiers.status).toBe(200);
    expect(tiers.remembered).toBe(false);
    expect(tiers.body).not.toBe(first.body);
    // a client asking for a fresh answer gets one made
    const fresh = await get(mapUrl(), tokens.strategist as string, { 'cache-control': 'no-cache' });
    expect(fresh.remembered).toBe(false);
    expect(fresh.body).toBe(first.body);
    // and one that was never asked for without it is not kept
    const q = mapUrl({ rankBy: 'customers' });
    await get(q, tokens.strategist as string, { 'cache-control': 'no-store' });
    expect((await get(q, tokens.strategist as string)).remembered).toBe(false);
    expect((await get(q, tokens.strategist as string)).remembered).toBe(true);
  });

  it("serve the dashboard's batched calls too, when every procedure of the batch is remembered", async () => {
    const batch = (paths: string, inputs: object) =>
      `${base}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`;
    const one = batch('strategies.map', { 0: {} });
    const first = await get(one, tokens.strategist as string);
    expect(first.status).toBe(200);
    expect(Array.isArray(JSON.parse(first.body))).toBe(true);
    const second = await get(one, tokens.strategist as string);
    expect(second.remembered).toBe(true);
    expect(second.body).toBe(first.body);
    const both = batch('strategies.map,lifecycle.funnel', { 0: {}, 1: {} });
    await get(both, tokens.strategist as string);
    expect((await get(both, tokens.strategist as string)).remembered).toBe(true);
    // a batch with a procedure that is not remembered is made every time
    const mixed = batch('strategies.map,strategies.list', { 0: {} });
    expect((await get(mixed, tokens.strategist as string)).status).toBe(200);
    expect((await get(mixed, tokens.strategist as string)).remembered).toBe(false);
  });

  it('keep one answer per scope: a branch manager never gets the bank-wide one', async () => {
    await get(mapUrl(), tokens.strategist as string);
    const bank = await get(mapUrl(), tokens.strategist as string);
    expect(bank.remembered).toBe(true);
    const branch = await get(mapUrl(), tokens.branch as string);
    expect(branch.status).toBe(200);
    expect(branch.remembered).toBe(false);
    expect(JSON.parse(branch.body).result.data.branch).not.toBeNull();
    expect(JSON.parse(bank.body).result.data.branch).toBeNull();
    const again = await get(mapUrl(), tokens.branch as string);
    expect(again.remembered).toBe(true);
    expect(again.body).toBe(branch.body);
  });

  it('still authenticate every request: a wrong token is refused, not answered from memory', async () => {
    await get(mapUrl(), tokens.strategist as string);
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(true);
    const wrong = await get(mapUrl(), 'stk_not-a-token');
    expect(wrong.status).toBe(401);
    expect(wrong.remembered).toBe(false);
    const none = await fetch(mapUrl());
    expect(none.status).toBe(401);
    expect(none.headers.get('x-strata-answer')).toBeNull();
  });

  it('are forgotten when the server writes (a new strategy shows at once)', async () => {
    const before = await get(mapUrl(), tokens.strategist as string);
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(true);
    const gap = JSON.parse(before.body).result.data.gaps[0] as { row: string; stage: string };
    const response = await fetch(`${base}/trpc/strategies.create`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.strategist}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        key: 'answers-test',
        definition: {
          name: '记忆测试',
          objective: 'active_customers',
          audience: { kind: 'cell', segment: gap.row, stage: gap.stage },
          channel: 'branch_rm',
          schedule: { kind: 'monthly', day: 5 },
          priority: 50,
          controlShare: 0.2,
          kpi: { metric: 'conversion_rate', target: 0.1 },
          evaluationDays: 30,
          owner: 'hq',
        },
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    await fetch(`${base}/trpc/strategies.setStatus`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.strategist}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ key: 'answers-test', status: 'active' }),
    });
    const after = await get(mapUrl(), tokens.strategist as string);
    expect(after.remembered).toBe(false);
    expect(after.body).not.toBe(before.body);
    expect(JSON.parse(after.body).result.data.names.strategies['answers-test']).toBeDefined();
  });

  it('are forgotten when another connection commits (the CLI renaming a segment)', async () => {
    await get(mapUrl(), tokens.strategist as string);
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(true);
    const rename = "UPDATE segments SET name = '银发客群（改）' WHERE key = 'seniors'";
    if (onPostgres) {
      const other = openDatabase(db.location);
      try {
        other.sqlite.prepare(rename).run();
      } finally {
        other.close();
      }
    } else {
      const other = new Database(join(dir, 'strata.db'));
      try {
        other.prepare(rename).run();
      } finally {
        other.close();
      }
    }
    const after = await get(mapUrl(), tokens.strategist as string);
    expect(after.remembered).toBe(false);
    expect(JSON.parse(after.body).result.data.names.segments.seniors.zh).toBe('银发客群（改）');
  });

  it('answer a HEAD request from memory with the headers only, and never keep one made for HEAD', async () => {
    const url = mapUrl({ rankBy: 'customers', dimension: 'aum_tier' });
    const head = (u: string) =>
      fetch(u, { method: 'HEAD', headers: { authorization: `Bearer ${tokens.strategist}` } });
    // made for HEAD: not kept, so the next GET is made too
    expect((await head(url)).headers.get('x-strata-answer')).toBeNull();
    const made = await get(url, tokens.strategist as string);
    expect(made.status).toBe(200);
    expect(made.remembered).toBe(false);
    const response = await head(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-strata-answer')).toBe('remembered');
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(made.body));
    expect(await response.text()).toBe('');
  });

  it('are forgotten when the day changes', async () => {
    await get(mapUrl(), tokens.strategist as string);
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(true);
    clock = new Date('2026-11-21T09:00:00Z');
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(false);
    expect((await get(mapUrl(), tokens.strategist as string)).remembered).toBe(true);
  });

  it('keep no more answers than the limit, the least recently used going first', async () => {
    const small = createApp({
      db,
      widgetDir: bundleDir,
      embedOrigins: [],
      maxBody: 64 * 1024,
      now: () => clock,
      answers: { entries: 1 },
    });
    await new Promise<void>((done) => small.listen(0, '127.0.0.1', done));
    const at = `http://127.0.0.1:${(small.address() as AddressInfo).port}/trpc/strategies.map?input=`;
    const url = (input: object) => `${at}${encodeURIComponent(JSON.stringify(input))}`;
    try {
      const token = tokens.strategist as string;
      await get(url({}), token);
      expect((await get(url({}), token)).remembered).toBe(true);
      expect((await get(url({ dimension: 'aum_tier' }), token)).status).toBe(200); // kept instead of the first
      expect((await get(url({ dimension: 'aum_tier' }), token)).remembered).toBe(true);
      expect((await get(url({}), token)).remembered).toBe(false);
    } finally {
      await new Promise((done) => small.close(done));
    }
  });

  it('cover the funnel, not procedures without `remember` (a profile is made every time)', async () => {
    const funnel = `${base}/trpc/lifecycle.funnel?input=${encodeURIComponent('{}')}`;
    await get(funnel, tokens.strategist as string);
    expect((await get(funnel, tokens.strategist as string)).remembered).toBe(true);
    const customer = db.sqlite.prepare('SELECT id FROM customers LIMIT 1').pluck().get();
    const profile = `${base}/trpc/insight.profile?input=${encodeURIComponent(JSON.stringify({ customer }))}`;
    expect((await get(profile, tokens.strategist as string)).status).toBe(200);
    expect((await get(profile, tokens.strategist as string)).remembered).toBe(false);
    // bad input is never remembered
    const bad = `${base}/trpc/lifecycle.funnel?input=${encodeURIComponent('{"period":"2026-1"}')}`;
    expect((await get(bad, tokens.strategist as string)).status).toBe(400);
    expect((await get(bad, tokens.strategist as string)).remembered).toBe(false);
  });
});
