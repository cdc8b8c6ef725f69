// Strata's own data on PostgreSQL against the default, SQLite, on the same demo bank in the same
// run: seeding (with the first lifecycle and insight refreshes), an insight refresh, and, over
// HTTP from the real server, the strategy map, list generation, and autocannon on a profile,
// next best actions and the map (ours: PostgreSQL; the peer: SQLite).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@strata/core';
import { createServiceToken, openDatabase, runInsightRefresh } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { startPostgres } from '@strata/db/testing';
import { PostgresConnection } from '@strata/db';
import pg from 'pg';
import { cacheDir } from './data.mjs';
import { activateGapStrategies, call, cannon, path, timedCall } from './load.mjs';
import { startStrata } from './widgets.mjs';

const retail = Number(process.env.STRATA_BENCH_STORAGE_RETAIL ?? 20_000);
const corporate = Math.round(retail / 10);
const seconds = Number(process.env.STRATA_BENCH_STORAGE_SECONDS ?? 15);

/** One backend through the same steps; its timings. */
async function measure(location, label) {
  console.log(`  ${label}: seeding ${retail + corporate} customers × 13 months`);
  const out = {};
  let started = performance.now();
  const db = openDatabase(location);
  seedDemoBank(
    db,
    { seed: 20261123, retail, corporate },
    undefined,
    () => new Date('2026-11-05T09:00:00Z'),
  );
  out.seed = performance.now() - started;
  started = performance.now();
  runInsightRefresh(db, { now: () => new Date('2026-11-05T10:00:00Z') });
  out.refresh = performance.now() - started;
  const { token } = createServiceToken(db, { name: 'storage-bench', role: 'strategist' });
  db.close();
  const server = await startStrata(location, {
    STRATA_DEMO: 'false',
    STRATA_RATE_LIMIT: '0',
    STRATA_LOG_LEVEL: 'warn',
  });
  try {
    const { url } = server;
    const cold = await timedCall(1, () =>
      call(url, token, 'strategies.map', { rankBy: 'customers' }),
    );
    out.mapCold = cold.ms;
    const keys = await activateGapStrategies(url, token, cold.value, 2, 'storage-gap');
    const lists = await timedCall(1, () => call(url, token, 'lists.generate', { keys }, 'POST'));
    out.lists = lists.ms;
    out.listed = lists.value.reduce((n, l) => n + l.summary.listed, 0);
    out.mapAfter = (await timedCall(1, () => call(url, token, 'strategies.map', {}))).ms;
    const entries = (
      await call(url, token, 'lists.entries', { id: lists.value[0].id, limit: 1000 })
    ).map((r) => r.customerId);
    if (entries.length === 0) throw new Error(`${label}: the list is empty; nobody to ask about`);
    const rng = createRng(20261123);
    const sample = Array.from({ length: 500 }, () => entries[rng.int(0, entries.length - 1)]);
    out.load = {};
    for (const [name, paths] of [
      ['health', [path('health')]],
      ['customer profile', sample.map((customer) => path('insight.profile', { customer }))],
      ['next best actions', sample.map((customer) => path('actions.next', { customer }))],
      ['strategy map', [path('strategies.map', {})]],
    ]) {
      process.stderr.write(`  ${label}: ${name} at 50 connections for ${seconds} s\n`);
      out.load[name] = await cannon(url, token, 50, paths, seconds);
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** One round trip: the synchronous connection against a plain async pg client, same server. */
async function roundTrip(url) {
  const sql = 'SELECT 1 AS x WHERE 1 = ?';
  const n = 10_000;
  const connection = new PostgresConnection(url);
  const statement = connection.prepare(sql).pluck();
  for (let i = 0; i < 2_000; i++) statement.get(1);
  let started = performance.now();
  for (let i = 0; i < n; i++) statement.get(1);
  const ours = ((performance.now() - started) / n) * 1000;
  connection.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const query = { name: 'q', text: 'SELECT 1 AS x WHERE 1 = $1', values: [1], rowMode: 'array' };
  for (let i = 0; i < 2_000; i++) await client.query(query);
  started = performance.now();
  for (let i = 0; i < n; i++) await client.query(query);
  const peer = ((performance.now() - started) / n) * 1000;
  await client.end();
  return { ours, peer };
}

export async function storageBench(report) {
  const name = `Strata on PostgreSQL vs SQLite, ${retail + corporate} customers × 13 months`;
  console.log(`\n${name}`);
  const file = join(cacheDir, 'storage-bench.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const server = await startPostgres();
  try {
    const trip = await roundTrip(server.url);
    report(
      'PostgreSQL round trip (SELECT 1), Strata’s synchronous connection vs an async pg client',
      'µs',
      trip.ours,
      'pg.Client, awaited, same server',
      trip.peer,
      'mean of 10,000 calls after 2,000 to warm up',
    );
    const lite = await measure(file, 'SQLite');
    const pg = await measure(server.url, 'PostgreSQL');
    const line = (what, key, note = '') =>
      report(`${name}: ${what}`, 'ms', pg[key], 'SQLite, same bank', lite[key], note);
    line('seed with the first refreshes', 'seed');
    line('insight refresh', 'refresh');
    line('strategy map, first call, over HTTP', 'mapCold');
    line(
      'list generation, 2 strategies, over HTTP',
      'lists',
      `${pg.listed} listed (SQLite ${lite.listed})`,
    );
    line('strategy map after the lists, over HTTP', 'mapAfter');
    for (const [what, r] of Object.entries(pg.load)) {
      const peer = lite.load[what];
      report(
        `${name}: ${what}, 50 connections, ${seconds} s`,
        'req/s',
        r.rps,
        'SQLite, same bank',
        peer.rps,
        `p50 ${r.p50} / p99 ${r.p99} ms, errors ${r.errors}; SQLite p50 ${peer.p50} / p99 ${peer.p99} ms, errors ${peer.errors}`,
      );
    }
  } finally {
    await server.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}
