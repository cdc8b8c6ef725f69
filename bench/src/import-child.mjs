// One import of a customers CSV into a fresh Strata database, alone in a process so its peak
// memory is its own. Untimed set-up: the database (migrations), the org tree from org_units.csv
// and the relationship managers (imported). Timed: only the customers import, with every value
// checked (the default `reject`: any bad row and nothing is written).
// Usage: node import-child.mjs <db file> <csv dir> <customers.csv>
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { importFile, openDatabase } from '@strata/db';
import { insertOrgTree } from './org-tree.mjs';

const [dbFile, csvDir, customersCsv] = process.argv.slice(2);
const now = new Date('2026-11-22T00:00:00Z');
const kb = (field) => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
};

for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
const db = openDatabase(dbFile);

const orgUnits = insertOrgTree(db, csvDir);

const rms = importFile(db, {
  kind: 'relationship_managers',
  input: { path: join(csvDir, 'relationship_managers.csv') },
  actor: 'bench',
  now,
});
if (rms.status !== 'succeeded') throw new Error(`relationship managers: ${rms.error}`);

const rssBeforeMb = kb('VmRSS');
const started = performance.now();
const report = importFile(db, {
  kind: 'customers',
  input: { path: customersCsv },
  actor: 'bench',
  now,
});
const ms = performance.now() - started;
// VmHWM: this process's own peak (see refresh-child.mjs for why not getrusage).
const maxRssMb = kb('VmHWM') ?? process.resourceUsage().maxRSS / 1024;
db.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
process.stdout.write(
  `${JSON.stringify({
    ms,
    maxRssMb,
    rssBeforeMb,
    status: report.status,
    error: report.error,
    rowsRead: report.rowsRead,
    rowsWritten: report.rowsWritten,
    inserted: report.inserted,
    rowsRejected: report.rowsRejected,
    examples: report.examples.slice(0, 3),
    orgUnits,
    relationshipManagers: rms.rowsWritten,
  })}\n`,
);
