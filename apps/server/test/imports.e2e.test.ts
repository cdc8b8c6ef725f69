import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoBank } from '@strata/demo-data';
import { writeBankCsv } from '@strata/demo-data/csv';
import {
  createServiceToken,
  createSession,
  createUser,
  openDatabase,
  type StrataDb,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { sweepImportFiles } from '../src/import-runner.js';

// Imports over HTTP, on a database file: the upload, the import in a worker thread, its
// progress as Server-Sent Events, the report and the error file.
const BANK = { seed: 8, retail: 3_000, corporate: 300 };
const clock = () => new Date('2026-11-22T09:00:00Z');
let dir: string;
let db: StrataDb;
let server: Server;
let base: string;
let strategist: string;
let viewer: string;
let csv: { customers: string; events: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-imports-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(db, BANK, undefined, clock);
  writeBankCsv(createDemoBank(BANK), join(dir, 'bank'));
  csv = {
    customers: readFileSync(join(dir, 'bank', 'customers.csv'), 'utf8'),
    events: readFileSync(join(dir, 'bank', 'events.csv'), 'utf8'),
  };
  strategist = createServiceToken(db, { name: 'etl', role: 'strategist' }, clock()).token;
  viewer = createServiceToken(db, { name: 'look', role: 'viewer' }, clock()).token;
  server = createApp({
    db,
    widgetDir: bundleDir,
    embedOrigins: [],
    maxBody: 4096,
    maxImportBytes: 8 << 20,
    now: clock,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((done) => server.close(done));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (query: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/imports?${query}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/csv', ...headers },
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Reads an import's event stream to its end: the progress events and the final report. */
async function follow(runId: number, token: string) {
  const res = await fetch(`${base}/api/imports/${runId}/events`, { headers: bearer(token) });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await res.text();
  const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({
    event: m[1] as string,
    data: JSON.parse(m[2] as string) as Record<string, unknown>,
  }));
  return {
    progress: events.filter((e) => e.event === 'progress'),
    done: events.find((e) => e.event === 'done')?.data,
  };
}

describe('imports over HTTP', () => {
  it('takes a file, imports it in a worker, streams progress, and reports', async () => {
    // 3,300 customers again under new numbers: all inserted
    const renamed = csv.customers.replace(/^([RC])/gm, 'H$1');
    const res = await upload('kind=customers&name=customers.csv', renamed, bearer(strategist));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: number };
    const { done } = await follow(runId, strategist);
    expect(done).toMatchObject({
      runId,
      status: 'succeeded',
      rowsRead: 3300,
      inserted: 3300,
      rowsRejected: 0,
    });
    const api = await fetch(
      `${base}/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ id: runId }))}`,
      {
        headers: bearer(strategist),
      },
    );
    const body = (await api.json()) as {
      result: { data: { status: string; fileName: string; report: { inserted: number } } };
    };
    expect(body.result.data).toMatchObject({
      status: 'succeeded',
      fileName: 'customers.csv',
      report: { inserted: 3300 },
    });
    expect(
      db.sqlite.prepare("SELECT count(*) FROM customers WHERE external_id LIKE 'H%'").pluck().get(),
    ).toBe(3300);
  });

  it('refuses a file with a bad row, writes nothing, and serves the error file', async () => {
    const before = db.sqlite.prepare('SELECT count(*) FROM events').pluck().get();
    const bad = `${csv.events}E-ORPHAN,NOBODY,complaint,2026-10-01,\n`;
    const res = await upload('kind=events&name=events.csv', bad, bearer(strategist));
    const { runId } = (await res.json()) as { runId: number };
    const { done } = await follow(runId, strategist);
    expect(done).toMatchObject({ status: 'failed', rowsRejected: 1, issues: { orphan: 1 } });
    expect(db.sqlite.prepare('SELECT count(*) FROM events').pluck().get()).toBe(before);
    const errors = await fetch(`${base}/api/imports/${runId}/errors.csv`, {
      headers: bearer(strategist),
    });
    expect(errors.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await errors.text()).toMatch(
      /^line,field,value,category,reason\n\d+,customer_id,NOBODY,orphan,/,
    );
  });

  it('is for the head office only, needs the CSRF header with a cookie, and refuses bad options and big files', async () => {
    expect((await upload('kind=events', csv.events)).status).toBe(401);
    expect((await upload('kind=events', csv.events, bearer(viewer))).status).toBe(403);
    expect(
      (await fetch(`${base}/api/imports/1/errors.csv`, { headers: bearer(viewer) })).status,
    ).toBe(403);
    const user = createUser(
      db,
      { username: 'hq', displayName: 'HQ', role: 'strategist', password: 'a long enough password' },
      clock(),
    );
    const session = createSession(db, user.id, clock());
    const cookie = { cookie: `strata_session=${session.token}` };
    expect((await upload('kind=events', csv.events, cookie)).status).toBe(403);
    const withCsrf = await upload('kind=events&name=e.csv', csv.events, {
      ...cookie,
      'x-strata-csrf': session.csrf,
    });
    expect(withCsrf.status).toBe(202);
    await follow(((await withCsrf.json()) as { runId: number }).runId, strategist);
    const badKind = await upload('kind=planets', csv.events, bearer(strategist));
    expect(badKind.status).toBe(400);
    expect(await badKind.text()).toContain('"path":"kind"');
    const big = await upload('kind=events', new Uint8Array(9 << 20), bearer(strategist));
    expect(big.status).toBe(413);
  });

  it('sweeps what a crash left: uploads and unnamed error files go, a finished run’s error file stays', () => {
    const folder = join(dir, 'sweep');
    mkdirSync(folder);
    const finished = db.sqlite
      .prepare("SELECT id FROM import_runs WHERE status = 'failed' LIMIT 1")
      .pluck()
      .get() as number;
    for (const name of ['a.upload', 'b.errors.csv', `${finished}-errors.csv`, 'notes.txt'])
      writeFileSync(join(folder, name), 'x');
    expect(sweepImportFiles(folder, db)).toBe(2);
    expect(readdirSync(folder).sort()).toEqual([`${finished}-errors.csv`, 'notes.txt']);
  });
});
