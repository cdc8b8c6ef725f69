// Faults: a refresh killed with SIGKILL half-way leaves the database whole, earlier runs intact,
// no rows of the killed run, and a record that start-up marks failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_MESSAGE } from './busy.js';
import { openDatabase } from './client.js';
import { failInterruptedRuns } from './interrupted.js';
import { cli, runCli } from './test-cli.js';

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-faults-'));
  db = join(dir, 'strata.db');
  const seeded = runCli(db, 'seed', '--retail', '20000', '--corporate', '500', '--seed', '8');
  if (seeded.status !== 0) throw new Error(seeded.stderr);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a refresh killed half-way', () => {
  it('leaves the file whole, earlier runs intact, nothing of itself, and is marked failed at start', async () => {
    const before = openDatabase(db);
    const latest = (handle = before) =>
      handle.sqlite
        .prepare("SELECT max(id) FROM insight_runs WHERE status = 'succeeded'")
        .pluck()
        .get() as number;
    const lastGood = latest();
    const rows = before.sqlite
      .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
      .pluck()
      .get(lastGood) as number;
    before.close();
    // kill the refresh once the insight step is under way (its progress bar on stderr)
    const child = spawn(process.execPath, [cli, 'refresh', '--db', db], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((done) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/insight \w+/.test(seen) && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => done());
    });
    expect(child.signalCode).toBe('SIGKILL');
    const after = openDatabase(db);
    try {
      expect(after.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(latest(after)).toBe(lastGood);
      expect(
        after.sqlite
          .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
          .pluck()
          .get(lastGood),
      ).toBe(rows);
      const killed = after.sqlite
        .prepare("SELECT id FROM insight_runs WHERE status = 'running'")
        .pluck()
        .all() as number[];
      expect(killed.length).toBe(1);
      expect(
        after.sqlite
          .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ?')
          .pluck()
          .get(killed[0]),
      ).toBe(0);
      expect(failInterruptedRuns(after).insight).toBe(1);
      expect(
        after.sqlite.prepare('SELECT status, error FROM insight_runs WHERE id = ?').get(killed[0]),
      ).toEqual({
        status: 'failed',
        error: 'interrupted: the process stopped before the run finished; nothing of it was kept',
      });
    } finally {
      after.close();
    }
  }, 120_000);
});

describe('two writers at once', () => {
  it('a refresh or an import while another writer holds the database is refused clearly, and changes nothing', () => {
    const count = (sql: string) => {
      const look = openDatabase(db, { readonly: true });
      try {
        return look.sqlite.prepare(sql).pluck().get() as number;
      } finally {
        look.close();
      }
    };
    const runsBefore = count('SELECT count(*) FROM insight_runs');
    const customersBefore = count('SELECT count(*) FROM customers');
    // another process's write transaction (an import, a refresh) holds the file
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const refresh = runCli(db, 'refresh', '--lifecycle-only');
      expect(refresh.status).toBe(1);
      expect(refresh.stderr).toContain(BUSY_MESSAGE);
      const file = join(dir, 'one.csv');
      writeFileSync(
        file,
        'customer_id,kind,name,id_number,org_unit_code,opened_on\nZ1,retail,张三,330101199001011234,330100,2020-01-01\n',
      );
      const imported = runCli(db, 'import', 'customers', file);
      expect(imported.status).not.toBe(0);
      expect(imported.stderr + imported.stdout).toMatch(/Another import or a refresh is writing/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(count('SELECT count(*) FROM insight_runs')).toBe(runsBefore);
    expect(count('SELECT count(*) FROM customers')).toBe(customersBefore);
  }, 60_000);
});
