import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { startPostgres, type LocalServer } from '@strata/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/strata-warehouse.js', import.meta.url));
let dir: string;
let dbFile: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, '--db', dbFile, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: 120_000,
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-warehouse-cli-'));
  dbFile = join(dir, 'strata.db');
  const db = openDatabase(dbFile);
  seedDemoBank(
    db,
    { seed: 5, retail: 900, corporate: 90 },
    undefined,
    () => new Date('2026-11-01T00:00:00Z'),
  );
  db.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata-warehouse (command line)', () => {
  it('loads a DuckDB file and stores a pushed-down insight run', () => {
    const duck = join(dir, 'bank.duckdb');
    const out = run('refresh', '--duckdb', duck, '--load', '--period', '2026-09');
    expect(out.stderr).toMatch(
      /load into duckdb … customers 990, monthly_metrics [\d,]+, events [\d,]+/,
    );
    expect(out.stderr).toMatch(/duckdb runs the tags SQL … done in [\d.]+ s/);
    expect(out.stdout).toMatch(
      /^insight run \d+ \(2026-09, pushed down to duckdb\): 990 customers; pushdown \d+ ms, assemble \d+ ms, store \d+ ms/,
    );
    expect(out.status).toBe(0);
    const db = openDatabase(dbFile);
    try {
      const latest = db.sqlite
        .prepare(
          "SELECT r.period, r.status, json_extract(r.model, '$.source') AS source, count(c.customer_id) AS customers FROM insight_runs r JOIN insight_customers c ON c.run_id = r.id GROUP BY r.id ORDER BY r.id DESC LIMIT 1",
        )
        .get();
      expect(latest).toEqual({
        period: '2026-09',
        status: 'succeeded',
        source: 'duckdb',
        customers: expect.any(Number),
      });
      expect((latest as { customers: number }).customers).toBeGreaterThan(800);
    } finally {
      db.close();
    }
    // The warehouse keeps its copy: a second refresh needs no load.
    const again = run('refresh', '--duckdb', duck, '--memory-limit', '512MB');
    expect(again.stderr).not.toMatch(/load into/);
    expect(again.status).toBe(0);
  }, 120_000);

  it('says what is wrong with its arguments', () => {
    const none = run('refresh');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(
      /Name one warehouse: --duckdb FILE, --postgres URL or --clickhouse URLS/,
    );
    const period = run('refresh', '--duckdb', join(dir, 'x.duckdb'), '--period', '2026-13');
    expect(period.status).toBe(2);
    expect(period.stderr).toMatch(/--period 2026-13: expected YYYY-MM/);
    const cluster = run('load', '--clickhouse', 'http://127.0.0.1:1');
    expect(cluster.status).toBe(2);
    expect(cluster.stderr).toMatch(/--clickhouse needs --cluster NAME/);
    const unreachable = run('refresh', '--postgres', 'postgres://bob:secret@127.0.0.1:1/x');
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(
      /Could not open the warehouse at postgres:\/\/bob:\*\*\*@127\.0\.0\.1:1\/x: connect ECONNREFUSED/,
    );
    expect(unreachable.stderr).not.toContain('secret');
    const limit = run('refresh', '--duckdb', join(dir, 'bank.duckdb'), '--memory-limit', 'lots');
    expect(limit.status).toBe(1);
    expect(limit.stderr).toMatch(/memoryLimit lots: expected a size such as 1GB or 512MB/);
    const month = run('refresh', '--duckdb', join(dir, 'bank.duckdb'), '--period', '2019-01');
    expect(month.status).toBe(1);
    expect(month.stderr).toMatch(/No monthly data for 2019-01/);
  }, 60_000);
});

describe('strata-warehouse with Strata’s data on PostgreSQL', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('loads DuckDB from a PostgreSQL-held Strata and stores the pushed-down run there', () => {
    const db = openDatabase(server.url);
    seedDemoBank(
      db,
      { seed: 5, retail: 400, corporate: 40 },
      undefined,
      () => new Date('2026-11-01T00:00:00Z'),
    );
    db.close();
    const out = spawnSync(
      process.execPath,
      [
        bin,
        '--db',
        server.url,
        'refresh',
        '--duckdb',
        join(dir, 'pg.duckdb'),
        '--load',
        '--period',
        '2026-09',
      ],
      { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 120_000 },
    );
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toMatch(
      /load into duckdb … customers 440, monthly_metrics [\d,]+, events [\d,]+/,
    );
    const check = openDatabase(server.url);
    try {
      expect(
        check.sqlite
          .prepare(
            "SELECT r.status, json_extract(r.model, '$.source') AS source, count(c.customer_id) AS customers FROM insight_runs r JOIN insight_customers c ON c.run_id = r.id GROUP BY r.id ORDER BY r.id DESC LIMIT 1",
          )
          .get(),
      ).toEqual({ status: 'succeeded', source: 'duckdb', customers: expect.any(Number) });
    } finally {
      check.close();
    }
  }, 240_000);
});
