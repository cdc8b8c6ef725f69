// Faults: a refresh killed with SIGKILL half-way leaves the database whole, earlier runs intact,
// no rows of the killed run, and a record that start-up marks failed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_MESSAGE, FULL_MESSAGE } from './busy.js';
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

describe('a full disk', () => {
  it('an import that fills a small disk (tmpfs) stops with a clear message; the database stays whole', () => {
    const disk = mkdtempSync(join(tmpdir(), 'strata-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', disk], {
      encoding: 'utf8',
    });
    if (mounted.status !== 0)
      throw new Error(`the full-disk test mounts a small tmpfs (as root): ${mounted.stderr}`);
    try {
      const small = join(disk, 'strata.db');
      const seeded = runCli(small, 'seed', '--retail', '300', '--corporate', '10', '--seed', '2');
      expect(seeded.status, seeded.stderr).toBe(0);
      const look = openDatabase(small, { readonly: true });
      const unit = look.sqlite
        .prepare("SELECT code FROM org_units WHERE kind = 'sub_branch' LIMIT 1")
        .pluck()
        .get() as string;
      const customers = look.sqlite.prepare('SELECT count(*) FROM customers').pluck().get();
      look.close();
      // 60,000 new customers, a few MB once in the database, in a file on the big disk
      const csv = join(dir, 'many.csv');
      const rows = ['customer_id,kind,name,id_number,org_unit_code,linked_on'];
      for (let i = 0; i < 60_000; i++)
        rows.push(
          `F${String(i).padStart(8, '0')},retail,客户${i},3301011990${String(i).padStart(8, '0')},${unit},2020-01-01`,
        );
      writeFileSync(csv, rows.join('\n'));
      // fill the small disk but for 512 KB
      const { bavail, bsize } = statfsSync(disk);
      writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 512 * 1024)));
      const imported = runCli(
        small,
        'import',
        'customers',
        csv,
        '--errors',
        join(dir, 'full.errors.csv'),
      );
      expect(imported.status).not.toBe(0);
      expect(imported.stderr + imported.stdout).toContain(FULL_MESSAGE);
      rmSync(join(disk, 'filler'));
      const after = openDatabase(small);
      try {
        expect(after.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(after.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(
          customers,
        );
      } finally {
        after.close();
      }
    } finally {
      spawnSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  }, 120_000);
});
