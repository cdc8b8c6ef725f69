// The benchmark bank: the seeded demo bank in SQLite (Strata's own store) and the same rows in
// DuckDB, built once and kept in bench/.cache (delete it to rebuild); and the demo-data
// generator's CSV files for the import benchmark, also kept there.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  bumpDataVersion,
  currentBlocks,
  loadPeriods,
  dataVersion,
  openDatabase,
  rebuildMetricBlocks,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';

export const cacheDir = new URL('../.cache/', import.meta.url).pathname;

/** Size of the benchmark bank: 1,000,000 customers (10 retail to 1 corporate) unless told. */
export function bankSize() {
  const total = Number(process.env.STRATA_BENCH_CUSTOMERS ?? 1_000_000);
  const corporate = Math.round(total / 11);
  return { total, retail: total - corporate, corporate, seed: 20261122 };
}

export function progress(label) {
  let last = -1;
  return (_step, done, total) => {
    const pct = Math.floor((done / Math.max(total, 1)) * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r  ${label.padEnd(28)} ${String(pct).padStart(3)}%`);
    if (done >= total) process.stderr.write('\n');
  };
}

/** The seeded SQLite bank (with its lifecycle and insight runs), built if missing. */
export function ensureSqliteBank() {
  const { total, retail, corporate, seed } = bankSize();
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `bank-${total}-${seed}.sqlite`);
  if (!existsSync(file)) {
    console.log(
      `Building the ${total.toLocaleString('en')}-customer bank in SQLite (once; cached in bench/.cache)`,
    );
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    const db = openDatabase(partial);
    seedDemoBank(db, { retail, corporate, seed }, progress('seeding'));
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(partial, file);
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
  }
  // The columnar copy of the snapshots (built by the seed; older caches predate it).
  const db = openDatabase(file);
  try {
    if (!currentBlocks(db, loadPeriods(db))) {
      console.log('Building the metric blocks (once)');
      if (dataVersion(db) === 0) db.sqlite.transaction(() => bumpDataVersion(db))();
      rebuildMetricBlocks(db, (done, total) => progress('metric blocks')('', done, total));
      db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    }
  } finally {
    db.close();
  }
  return file;
}

function writeCsv(sqlite, table, columns, path) {
  const fd = openSync(path, 'w');
  let buffer = `${columns.join(',')}\n`;
  const rows = sqlite
    .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
    .raw()
    .iterate();
  for (const row of rows) {
    buffer += `${row.map((v) => (v === null ? '' : typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : v)).join(',')}\n`;
    if (buffer.length > 1 << 22) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

/** The same customers, snapshots and events in a DuckDB file, built from the SQLite bank if missing. */
export async function ensureDuckBank(sqliteFile) {
  const file = sqliteFile.replace(/\.sqlite$/, '.duckdb');
  if (!existsSync(file)) {
    console.log('Copying the bank into DuckDB (once)');
    const db = openDatabase(sqliteFile, { readonly: true });
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    const instance = await DuckDBInstance.create(partial);
    const connection = await instance.connect();
    for (const table of ['customers', 'monthly_metrics', 'events']) {
      const columns = db.sqlite.pragma(`table_info(${table})`).map((c) => c.name);
      const csv = join(cacheDir, `${table}.csv`);
      process.stderr.write(`  ${table} → CSV → DuckDB\n`);
      writeCsv(db.sqlite, table, columns, csv);
      await connection.run(
        `CREATE TABLE ${table} AS SELECT * FROM read_csv('${csv}', header = true, sample_size = -1)`,
      );
      rmSync(csv);
    }
    connection.closeSync?.();
    instance.closeSync?.();
    db.close();
    renameSync(partial, file);
  }
  return file;
}

/** The first `rows` records of a CSV (plus its header), as bytes; the fields hold no line breaks. */
/**
 * Writes the file, then its rows again with each customer number's first letter changed (R → S,
 * C → D): twice the rows, all distinct, the same org units and RMs.
 */
function doubleCsv(from, to) {
  const text = readFileSync(from, 'utf8');
  const body = text.slice(text.indexOf('\n') + 1);
  writeFileSync(`${to}.partial`, text);
  appendFileSync(`${to}.partial`, body.replace(/^R/gm, 'S').replace(/^C/gm, 'D'));
  renameSync(`${to}.partial`, to);
}

/**
 * The import benchmark's files, as the demo-data generator writes them (`strata-demo-data csv
 * --retail N --corporate 0 --months 1`): org_units.csv, relationship_managers.csv and
 * customers.csv of N rows, plus customers-<2N>.csv, the same rows twice under other customer
 * numbers (same org tree and RMs), for the memory-flatness comparison. Generated once into
 * bench/.cache.
 */
export function ensureImportCsv() {
  const { total, seed } = bankSize();
  const dir = join(cacheDir, `import-csv-${total}-${seed}`);
  if (!existsSync(dir)) {
    console.log(
      `Writing the ${total.toLocaleString('en')}-row customers CSV with the demo-data generator (once; cached in bench/.cache)`,
    );
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    const cli = fileURLToPath(new URL('./cli.js', import.meta.resolve('@strata/demo-data')));
    const args = ['csv', '--out', partial, '--retail', String(total), '--corporate', '0'];
    const made = spawnSync(
      process.execPath,
      [cli, ...args, '--months', '1', '--seed', String(seed)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (made.status !== 0) throw new Error(`the demo-data generator failed (${made.status})`);
    // Only what the benchmark reads.
    rmSync(join(partial, 'monthly_metrics.csv'), { force: true });
    rmSync(join(partial, 'events.csv'), { force: true });
    renameSync(partial, dir);
  }
  const double = join(dir, `customers-${2 * total}.csv`);
  if (!existsSync(double)) doubleCsv(join(dir, 'customers.csv'), double);
  return {
    dir,
    rows: total,
    customers: join(dir, 'customers.csv'),
    doubleRows: 2 * total,
    double,
  };
}
