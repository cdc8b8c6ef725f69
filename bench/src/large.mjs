// The large bank end to end (issue 8, point 1): the demo generator writes a 1,000,000-retail +
// 100,000-corporate bank × 13 months as CSV; the real `strata import` loads every file into a
// fresh database, `strata refresh` runs the lifecycle and insight refreshes, `strata profiles`
// makes every customer's profile ahead of time, and the real server times the strategy map and
// list generation. Every step runs as the command a bank would run,
// with its progress bar on the terminal; each is timed, with its peak memory where GNU time is
// there. The database is kept for the load benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { insertStarterSegments, openDatabase } from '@strata/db';
import { cacheDir } from './data.mjs';
import { insertOrgTree } from './org-tree.mjs';

const root = new URL('../../', import.meta.url).pathname;
const RETAIL = Number(process.env.STRATA_BENCH_LARGE_RETAIL ?? 1_000_000);
const CORPORATE = Number(process.env.STRATA_BENCH_LARGE_CORPORATE ?? 100_000);
const SEED = 20261123;

/** Runs a command with its output on the terminal; returns wall ms and peak MB (GNU time). */
function run(label, command, args) {
  console.log(`  ${label}`);
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = spawnSync(
    time ? '/usr/bin/time' : command,
    time ? ['-f', 'STRATA_PEAK_KB %M', command, ...args] : args,
    { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const ms = performance.now() - started;
  const stderr = result.stderr ?? '';
  process.stderr.write(stderr.replace(/STRATA_PEAK_KB \d+\n?/, ''));
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
  const peak = /STRATA_PEAK_KB (\d+)/.exec(stderr);
  return { ms, peakMb: peak ? Number(peak[1]) / 1024 : null };
}

const cli = join(root, 'packages/db/dist/cli.js');

/** True when the bank's ready profiles are those of its latest run at its data version. */
function profilesCurrent(file) {
  const db = openDatabase(file); // (migrated to this version first)
  try {
    return (
      db.sqlite
        .prepare(
          `SELECT count(*) FROM insight_profile_sets s
           WHERE s.run_id = (SELECT max(id) FROM insight_runs WHERE status = 'succeeded')
             AND s.data_version = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'data_version')`,
        )
        .pluck()
        .get() === 1
    );
  } finally {
    db.close();
  }
}

/** `strata profiles` on the bank: every customer's profile made ahead of time (for the load test). */
function makeProfiles(report, label, file) {
  const r = run("strata profiles (every customer's profile made ahead)", process.execPath, [
    cli,
    'profiles',
    '--db',
    file,
  ]);
  report(
    `large bank ${label}: ready profiles, peak memory`,
    'MB',
    r.peakMb ?? 0,
    'goal',
    2048,
    `${(r.ms / 1000).toFixed(1)} s`,
  );
}

/** Builds (once) the large bank; returns its database file and the steps' figures. */
export function largeBank(report) {
  const label = `${(RETAIL / 1e6).toLocaleString('en')}M retail + ${(CORPORATE / 1e3).toLocaleString('en')}k corporate`;
  const csvDir = join(cacheDir, `large-csv-${RETAIL}-${CORPORATE}-${SEED}`);
  // (-segments: the bank has defined its segments, so the map has a row per segment)
  const file = join(cacheDir, `large-${RETAIL}-${CORPORATE}-${SEED}-segments.sqlite`);
  console.log(`\nThe large bank: ${label} × 13 months`);
  if (existsSync(file)) {
    console.log(`  kept from an earlier run: ${file} (delete it to run the pipeline again)`);
    if (!profilesCurrent(file)) makeProfiles(report, label, file);
    return { file, label };
  }
  if (!existsSync(join(csvDir, 'events.csv'))) {
    const partial = `${csvDir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    const gen = run('demo generator → CSV', process.execPath, [
      join(root, 'packages/demo-data/dist/cli.js'),
      'csv',
      '--out',
      partial,
      '--retail',
      String(RETAIL),
      '--corporate',
      String(CORPORATE),
      '--months',
      '13',
      '--seed',
      String(SEED),
    ]);
    renameSync(partial, csvDir);
    console.log(
      `  demo generator: ${(gen.ms / 1000).toFixed(0)} s, peak ${gen.peakMb?.toFixed(0)} MB`,
    );
  }
  const partialDb = `${file}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partialDb}${suffix}`, { force: true });
  const fresh = openDatabase(partialDb);
  insertOrgTree(fresh, csvDir);
  // Segments are the strategy team's configuration, not an export: the starter library, as a
  // team would begin with (without them the map is one row, "no segment", by nine stages).
  insertStarterSegments(fresh, new Date('2026-11-23T00:00:00Z'));
  fresh.close();
  const steps = [];
  for (const kind of [
    'relationship_managers',
    'customers',
    'monthly_metrics',
    'events',
    'consents',
  ]) {
    const path = join(csvDir, `${kind}.csv`);
    if (!existsSync(path)) continue;
    const rows =
      Number(spawnSync('wc', ['-l', path], { encoding: 'utf8' }).stdout.split(' ')[0]) - 1;
    const r = run(`strata import ${kind} (${rows.toLocaleString('en')} rows)`, process.execPath, [
      cli,
      'import',
      kind,
      path,
      '--db',
      partialDb,
    ]);
    steps.push([`import ${kind}, ${rows.toLocaleString('en')} rows, every value checked`, r]);
  }
  const refresh = run(
    'strata refresh (lifecycle, all months; insight, the latest)',
    process.execPath,
    // the ready profiles are a step of their own (below), timed apart from the refresh
    [cli, 'refresh', '--db', partialDb, '--ready-profiles', 'no'],
  );
  steps.push(['refresh (lifecycle + insight, incl. the columnar copy of the months)', refresh]);
  for (const suffix of ['-wal', '-shm']) rmSync(`${partialDb}${suffix}`, { force: true });
  renameSync(partialDb, file);
  // Each step's peak memory against the 2 GB; its time in the note (the refresh's
  // time also against its 10 s goal).
  for (const [name, r] of steps)
    report(
      `large bank ${label}: ${name}, peak memory`,
      'MB',
      r.peakMb ?? 0,
      'goal',
      2048,
      `${(r.ms / 1000).toFixed(1)} s`,
    );
  report(`large bank ${label}: refresh, time`, 's', refresh.ms / 1000, 'goal', 10);
  makeProfiles(report, label, file);
  return { file, label };
}
