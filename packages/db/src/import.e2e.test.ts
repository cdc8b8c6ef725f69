import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoBank } from '@strata/demo-data';
import { writeBankCsv } from '@strata/demo-data/csv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { cli, runCli } from './test-cli.js';
import { failInterruptedImports } from './import/history.js';
import { importFile } from './import/run.js';

const BANK = { seed: 5, retail: 400, corporate: 40 };
let dir: string;
let db: string;
const strata = (...args: string[]) => runCli(db, ...args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-import-cli-'));
  db = join(dir, 'strata.db');
  const seeded = strata('seed', '--retail', '400', '--corporate', '40', '--seed', '5');
  if (seeded.status !== 0) throw new Error(seeded.stderr);
  writeBankCsv(createDemoBank(BANK), join(dir, 'bank'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (sql: string): number => {
  const handle = openDatabase(db);
  try {
    return handle.sqlite.prepare(sql).pluck().get() as number;
  } finally {
    handle.close();
  }
};

describe('strata import (command line)', () => {
  it('imports with a progress bar, and refuses a bad file with exit 1 and an error file', () => {
    const file = join(dir, 'bank', 'events.csv');
    const ok = strata('import', 'events', file);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/import events\s+\[#+\] 100%/);
    expect(ok.stdout).toMatch(
      /import \d+ succeeded: (\d+) rows read, 0 inserted, \1 updated, 0 refused/,
    );
    const bad = join(dir, 'bad-events.csv');
    writeFileSync(bad, `${readFileSync(file, 'utf8')}E-X,NOBODY,complaint,2026-10-01,\n`);
    const refused = strata('import', 'events', bad);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/line \d+, customer_id: no customer NOBODY/);
    expect(refused.stderr).toMatch(/1 of \d+ rows were refused, so nothing was imported/);
    expect(readFileSync(`${bad}.errors.csv`, 'utf8')).toMatch(/customer_id,NOBODY,orphan/);
    expect(strata('import', 'planets', bad).status).toBe(2);
    expect(strata('imports').stdout).toMatch(/events\tbad-events\.csv\tfailed/);
  });

  it('killed in the middle of a file (SIGKILL), leaves all of the batch or none of it', async () => {
    // 200k customers: the seeded ones' rows again under new numbers
    const lines = readFileSync(join(dir, 'bank', 'customers.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const header = lines[0] as string;
    const rows = lines.slice(1);
    const parts: string[] = [header];
    for (let k = 0; parts.length <= 200_000; k++)
      for (const row of rows) parts.push(row.replace(/^([RC])/, `K${k}-$1`));
    const big = join(dir, 'big.csv');
    writeFileSync(big, `${parts.join('\n')}\n`);
    const before = count('SELECT count(*) FROM customers');

    const child = spawn(process.execPath, [cli, 'import', 'customers', big, '--db', db], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killedAt = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        const m = /(\d+)%/.exec(text);
        if (m && !killedAt && Number(m[1]) > 0 && Number(m[1]) < 100) {
          killedAt = `${m[1]}%`;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
    });
    expect(killedAt).not.toBe(''); // it was killed mid-file, not after
    const handle = openDatabase(db);
    try {
      expect(handle.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(handle.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(before);
      expect(failInterruptedImports(handle)).toBe(1);
      expect(
        handle.sqlite
          .prepare('SELECT error FROM import_runs ORDER BY id DESC LIMIT 1')
          .pluck()
          .get(),
      ).toMatch(/interrupted/);
    } finally {
      handle.close();
    }
    // and the same file, run to the end, is all there
    const whole = strata('import', 'customers', big);
    expect(whole.status).toBe(0);
    expect(count('SELECT count(*) FROM customers')).toBe(before + parts.length - 1);
  }, 120_000);

  it('reads and checks on a second thread with the same result as on one', () => {
    const lines = readFileSync(join(dir, 'bank', 'customers.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const rows = lines.slice(1).map((l) => l.replace(/^([RC])/, 'T$1'));
    rows[10] = (rows[10] as string).replace(/,(retail|corporate),/, ',nobody,');
    rows[20] = rows[19] as string; // a duplicate
    rows[30] = `${rows[30] as string},ragged`;
    rows[40] = (rows[40] as string)
      .replace(/^[^,]+,/, 'T-ORPHAN,')
      .replace(/,C\d{9},/, ',C999999999,');
    const file = join(dir, 'threads.csv');
    writeFileSync(file, `${[lines[0], ...rows].join('\n')}\n`);
    const reports = [1, 2].map((threads) => {
      const copy = join(dir, `threads-${threads}.db`);
      copyFileSync(db, copy);
      const handle = openDatabase(copy);
      try {
        const report = importFile(handle, {
          kind: 'customers',
          input: { path: file },
          onError: 'skip',
          threads: threads as 1 | 2,
          actor: 'test',
          now: new Date('2026-11-22T00:00:00Z'),
        });
        const data = handle.sqlite
          .prepare(
            'SELECT external_id, name, org_unit_id, rm_id, linked_on FROM customers ORDER BY id',
          )
          .raw()
          .all();
        return { report: { ...report, ms: 0, runId: 0 }, data };
      } finally {
        handle.close();
      }
    });
    expect(reports[0]?.report.rowsRejected).toBeGreaterThanOrEqual(3);
    expect(reports[1]).toEqual(reports[0]);
  });
});
