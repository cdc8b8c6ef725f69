// Faults: a refresh killed with SIGKILL half-way leaves the database whole, earlier runs intact,
// no rows of the killed run, and a record that start-up marks failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
