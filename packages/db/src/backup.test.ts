import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from './audit.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.js';
import { openDatabase } from './client.js';
import { seedDemoBank } from './seed/index.js';

let dir: string;
let live: string;
const now = new Date('2026-11-05T09:00:00Z');

/** Every table's rows, hashed: two databases with the same digest hold the same data. */
function digest(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      names.map((n) => {
        const hash = createHash('sha256');
        // every column, in order (a WITHOUT ROWID table has no rowid to order by)
        const width = db.prepare(`SELECT * FROM "${n}" LIMIT 0`).columns().length;
        const order = Array.from({ length: width }, (_, k) => k + 1).join(', ');
        for (const row of db.prepare(`SELECT * FROM "${n}" ORDER BY ${order}`).raw().iterate())
          hash.update(
            JSON.stringify(row, (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
          );
        return [n, hash.digest('hex')];
      }),
    );
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-backup-'));
  live = join(dir, 'strata.db');
  const db = openDatabase(live);
  seedDemoBank(db, { seed: 5, retail: 1_500, corporate: 50 }, undefined, () => now);
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore', () => {
  it('copies a database while another connection keeps writing, and the copy is whole', async () => {
    const writer = openDatabase(live);
    let written = 0;
    const copy = join(dir, 'online.db');
    const report = await backupDatabase(live, copy, () => {
      // the server goes on: an audited action between backup steps
      if (written < 5) {
        appendAudit(writer, { actor: 'teller', action: 'test.write', detail: { n: written } }, now);
        written++;
      }
    });
    writer.close();
    expect(report.integrity).toBe('ok');
    expect(report.tables.customers).toBe(1_550);
    expect(report.auditEntries).toBe(report.tables.audit_log);
    expect(report.pages).toBeGreaterThan(100);
    // a consistent moment: the copy equals the live file now that writing stopped
    expect(digest(copy)).toEqual(digest(live));
  });

  it('restores a backup over a database that changed since, and refuses bad files', async () => {
    const copy = join(dir, 'nightly.db');
    await backupDatabase(live, copy);
    const before = digest(live);
    const db = openDatabase(live);
    db.sqlite.prepare("UPDATE customers SET name = '改动' WHERE id <= 10").run();
    db.close();
    expect(digest(live)).not.toEqual(before);
    const report = await restoreDatabase(copy, live);
    expect(report.integrity).toBe('ok');
    expect(digest(live)).toEqual(before);
    await expect(backupDatabase(live, copy)).rejects.toThrow(/exists; choose a new file/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text');
    await expect(restoreDatabase(junk, live)).rejects.toThrow();
    const empty = join(dir, 'empty.db');
    new Database(empty).exec('CREATE TABLE t (x)');
    await expect(restoreDatabase(empty, live)).rejects.toThrow(BackupError);
    expect(digest(live)).toEqual(before); // nothing changed by the refusals
  });
});
