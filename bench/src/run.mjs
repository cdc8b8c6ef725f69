// `pnpm bench`: Strata against named peers on the same data in the same run. Prints one line per
// benchmark, `name: ours <v> <unit> | peer <name> <v> <unit> | ratio <ours/peer>` (below 1 is
// faster or smaller than the peer), and writes the same to bench/results.json.
// STRATA_BENCH_ONLY=import (or kmeans, rule, refresh; comma-separated) runs only those, without
// building the bank if none of them needs it, and merges its lines into results.json by name.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  DEFAULT_CLUSTER_FEATURES,
  FeatureFrame,
  clusterValue,
  compileRuleSql,
  createRng,
  duckdb,
  evaluateRule,
  kmeans,
  kmeansPlusPlus,
  sqlite,
  standardize,
} from '@strata/core';
import { loadFeatureInput, loadPeriods, openDatabase } from '@strata/db';
import { kmeansParallel } from '@strata/parallel';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { bankSize, cacheDir, ensureDuckBank, ensureImportCsv, ensureSqliteBank } from './data.mjs';
import { dashboardPages } from './dashboard.mjs';
import { pushdownBench } from './pushdown.mjs';
import { loadBench } from './load.mjs';
import { largeBank } from './large.mjs';
import { storageBench } from './storage.mjs';
import { widgetBudgets, widgetTimes } from './widgets.mjs';

const BENCHMARKS = [
  'kmeans',
  'rule',
  'refresh',
  'pushdown',
  'load',
  'large',
  'import',
  'widgets',
  'dashboard',
  'storage',
];
const only = (process.env.STRATA_BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of only)
  if (!BENCHMARKS.includes(name))
    throw new Error(
      `STRATA_BENCH_ONLY: unknown benchmark ${name} (one of ${BENCHMARKS.join(', ')})`,
    );
const wants = (name) => only.length === 0 || only.includes(name);

const results = [];
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** Records and prints one comparison. */
function report(name, unit, ours, peer, peerValue, note = '') {
  const ratio = peerValue === null ? null : ours / peerValue;
  results.push({ name, unit, ours, peer, peerValue, ratio });
  const peerText =
    peerValue === null ? `peer ${peer} skipped` : `peer ${peer} ${fmt(peerValue)} ${unit}`;
  const ratioText = ratio === null ? 'ratio —' : `ratio ${ratio.toFixed(2)}`;
  console.log(
    `${name}: ours ${fmt(ours)} ${unit} | ${peerText} | ${ratioText}${note ? `   (${note})` : ''}`,
  );
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(repeats, f) {
  const times = [];
  let last;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    last = await f();
    times.push(performance.now() - started);
  }
  return { ms: median(times), value: last };
}

const { total } = bankSize();
const label = total >= 1_000_000 ? `${total / 1_000_000}M` : `${Math.round(total / 1000)}k`;
// The bank (built once, ~10 minutes at 1M) only when a benchmark on it is asked for.
const sqliteFile = ['kmeans', 'rule', 'refresh', 'pushdown', 'load'].some(wants)
  ? ensureSqliteBank()
  : null;
const duckFile = wants('rule') ? await ensureDuckBank(sqliteFile) : null;
const db = sqliteFile ? openDatabase(sqliteFile, { readonly: true }) : null;
const periods = db ? loadPeriods(db) : [];
const asOf = periods[periods.length - 1];
let input = null;
if (wants('kmeans') || wants('rule')) {
  console.log(
    `\nLoading ${total.toLocaleString('en')} customers × ${periods.length} months for ${asOf} into columns`,
  );
  input = loadFeatureInput(db, asOf);
}

// ---------------------------------------------------------------------------------------------
// 1. k-means: 16 standardised features, k = 8, 20 iterations from the same initial centres.
if (wants('kmeans')) {
  const K = 8;
  const ITERATIONS = 20;
  const frame = new FeatureFrame(input);
  const keys = DEFAULT_CLUSTER_FEATURES;
  // The refresh's own transform: money and ratios log-scaled, then standardised.
  const columns = keys.map((key) =>
    Float64Array.from(frame.number(key), (v) => clusterValue(key, v)),
  );
  // In shared memory, as the refresh does, so worker threads read the points where they are.
  const points = standardize(columns, (bytes) => new SharedArrayBuffer(bytes));
  const init = kmeansPlusPlus(points, K, createRng(7));
  const name = `kmeans ${label}×${points.d} k=${K} ${ITERATIONS} iterations`;
  console.log(`\n${name}`);
  const ours = await timed(3, () =>
    kmeansParallel(points, { k: K, init, maxIterations: ITERATIONS, threads: 2 }),
  );
  const oursMs = ours.ms / Math.max(1, ours.value.iterations);
  const single = await timed(3, () => kmeans(points, { k: K, init, maxIterations: ITERATIONS }));
  const singleMs = single.ms / Math.max(1, single.value.iterations);
  const lloyd = await timed(1, () =>
    kmeans(points, { k: K, init, maxIterations: ITERATIONS, algorithm: 'lloyd' }),
  );

  const pointsFile = join(cacheDir, 'kmeans-points.f64');
  const initFile = join(cacheDir, 'kmeans-init.f64');
  writeFileSync(pointsFile, Buffer.from(points.data.buffer));
  writeFileSync(initFile, Buffer.from(init.buffer));
  const py = spawnSync(
    '/usr/bin/python3',
    [
      new URL('./sklearn_kmeans.py', import.meta.url).pathname,
      pointsFile,
      initFile,
      String(points.n),
      String(points.d),
      String(K),
      String(ITERATIONS),
    ],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } },
  );
  let sk = null;
  if (py.status === 0) sk = JSON.parse(py.stdout.trim().split('\n').pop());
  else
    console.log(
      `  scikit-learn skipped: ${(py.stderr || py.error?.message || 'failed').trim().split('\n').pop()}`,
    );
  const agree =
    sk === null
      ? ''
      : `inertia ours ${ours.value.inertia.toExponential(9)} vs scikit-learn ${sk.inertia.toExponential(9)}, relative gap ${Math.abs(ours.value.inertia / sk.inertia - 1).toExponential(1)}; ${ours.value.iterations} vs ${sk.iterations} iterations`;
  const skName = sk ? `scikit-learn ${sk.version} (Lloyd, 2 threads)` : 'scikit-learn';
  report(
    `${name}, ours on 2 threads vs scikit-learn`,
    'ms/iteration',
    oursMs,
    skName,
    sk?.msPerIteration ?? null,
    agree,
  );
  report(
    `${name}, ours on 1 thread vs scikit-learn`,
    'ms/iteration',
    singleMs,
    skName,
    sk?.msPerIteration ?? null,
  );

  const rows = Array.from({ length: points.n }, (_, i) =>
    Array.from(points.data.subarray(i * points.d, (i + 1) * points.d)),
  );
  const initRows = Array.from({ length: K }, (_, c) =>
    Array.from(init.subarray(c * points.d, (c + 1) * points.d)),
  );
  const ml = await timed(1, () =>
    mlKmeans(rows, K, { initialization: initRows, maxIterations: ITERATIONS, tolerance: 0 }),
  );
  const mlMs = ml.ms / Math.max(1, ml.value.iterations);
  report(
    `${name}, ours on 2 threads vs ml-kmeans`,
    'ms/iteration',
    oursMs,
    'ml-kmeans 7 (npm)',
    mlMs,
    `${ml.value.iterations} iterations`,
  );
  report(
    `${name}, ours on 1 thread vs a plain JavaScript Lloyd loop`,
    'ms/iteration',
    singleMs,
    'Lloyd (ours, every distance)',
    lloyd.ms / Math.max(1, lloyd.value.iterations),
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Rule-segment evaluation: a 6-clause rule with a tier CASE, from raw columns to members.
if (wants('rule')) {
  const rule = {
    kind: 'and',
    of: [
      { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
      { kind: 'in', field: 'aum_tier', values: ['gold', 'wealth', 'diamond'] },
      { kind: 'between', field: 'age', min: 30, max: 60 },
      { kind: 'cmp', field: 'product_types', op: '>=', value: 2 },
      { kind: 'trend', metric: 'aum_avg', months: 3, op: '>=', value: 0 },
      { kind: 'event', event: 'salary_credited', withinDays: 60 },
    ],
  };
  const name = `rule segment ${label} (6 clauses, tier CASE)`;
  console.log(`\n${name}`);
  const ours = await timed(5, () => {
    const members = evaluateRule(rule, new FeatureFrame(input));
    let count = 0;
    for (let i = 0; i < members.length; i++) count += members[i];
    return count;
  });

  const instance = await DuckDBInstance.create(duckFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  await connection.run('SET threads = 2');
  const duck = compileRuleSql(rule, { dialect: duckdb, asOf });
  const duckRun = await timed(5, async () => {
    const reader = await connection.runAndReadAll(
      `SELECT count(*) FROM (${duck.sql})`,
      duck.params,
    );
    return Number(reader.getRows()[0][0]);
  });
  const lite = compileRuleSql(rule, { dialect: sqlite, asOf });
  const statement = db.sqlite.prepare(`SELECT count(*) FROM (${lite.sql})`).pluck();
  const liteRun = await timed(3, () => statement.get(...lite.params));
  const counts = `members: ours ${ours.value}, DuckDB ${duckRun.value}, SQLite ${liteRun.value}`;
  if (ours.value !== duckRun.value || ours.value !== liteRun.value)
    console.log(`  WARNING: the engines disagree (${counts})`);
  report(
    `${name} vs DuckDB`,
    'ms',
    ours.ms,
    'DuckDB (@duckdb/node-api, 2 threads, compiled SQL)',
    duckRun.ms,
    counts,
  );
  report(`${name} vs SQLite`, 'ms', ours.ms, 'SQLite (better-sqlite3, compiled SQL)', liteRun.ms);
}

// The pushdown: the per-customer refresh in memory against DuckDB, ClickHouse and PostgreSQL.
if (wants('pushdown')) await pushdownBench(report, { db, sqliteFile, periods, asOf, label });
db?.close();

// ---------------------------------------------------------------------------------------------
// 3. The whole insight refresh (load from SQLite in chunks, compute, store), in its own process.
if (wants('refresh')) {
  const name = `insight refresh ${label}×${periods.length} months`;
  console.log(`\n${name}`);
  const refreshChild = (...args) => {
    const child = spawnSync(
      process.execPath,
      [new URL('./refresh-child.mjs', import.meta.url).pathname, sqliteFile, ...args],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop());
  };
  // Three runs, the median reported: the first often reads the bank's blocks from disk (the
  // page cache here does not keep the 6 GB file), the others from memory.
  const runs = [refreshChild(), refreshChild(), refreshChild()];
  const r = [...runs].sort((a, b) => a.wallMs - b.wallMs)[1];
  const t = r.timings;
  const detail = Object.entries(t)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const all = runs.map((x) => Math.round(x.wallMs)).join(', ');
  // Read and tag (on worker threads: "tag"), then RFM, Pareto, clusters, segments, aggregates.
  report(`${name}, read + compute`, 'ms', t.loadAndCompute, 'goal', 10_000, detail);
  report(
    `${name}, whole (SQLite read + engine + store)`,
    'ms',
    r.wallMs,
    'goal',
    10_000,
    `median of 3 runs: ${all} ms`,
  );
  report(`${name}, peak memory (whole)`, 'MB', r.maxRssMb, 'goal', 2048);
  // The same refresh in pushdown mode: DuckDB computes the tags, the run is stored the same way
  // (no RFM, Pareto or clusters). The DuckDB copy is pushdown's (built there or here, untimed).
  const p = refreshChild(sqliteFile.replace(/\.sqlite$/, '.pushdown.duckdb'));
  report(
    `${name}, whole in memory vs pushed down to DuckDB`,
    'ms',
    r.wallMs,
    'pushdownRefresh (DuckDB, 2 threads, 1 GB; no RFM, Pareto, clusters)',
    p.wallMs,
    Object.entries(p.timings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  report(`${name}, peak memory pushed down to DuckDB`, 'MB', p.maxRssMb, 'goal', 2048);
}

// ---------------------------------------------------------------------------------------------
// 4. Import of the demo-data generator's customers CSV, every value checked, in its own process,
//    against Debian's sqlite3 shell running `.import` of the same file into a plain table.
if (wants('import')) {
  const csv = ensureImportCsv();
  const doubleLabel =
    csv.doubleRows >= 1_000_000
      ? `${csv.doubleRows / 1_000_000}M`
      : `${Number((csv.doubleRows / 1000).toFixed(1))}k`;
  const name = `import ${label} customers CSV`;
  console.log(`\n${name} (${csv.customers})`);
  const work = join(cacheDir, 'import-run');
  const REPEATS = 3;

  const ours = (file, rows) => {
    const child = spawnSync(
      process.execPath,
      [
        new URL('./import-child.mjs', import.meta.url).pathname,
        join(work, 'strata.sqlite'),
        csv.dir,
        file,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout.trim().split('\n').pop());
    if (r.status !== 'succeeded' || r.rowsWritten !== rows)
      throw new Error(
        `our import of ${file}: ${r.status}, ${r.rowsWritten} of ${rows} rows written: ${r.error} ${JSON.stringify(r.examples)}`,
      );
    return r;
  };

  // The peer: a table of the header's columns (all TEXT) with a unique index on the key, so a
  // repeated customer_id fails as ours does, and either nothing else ('key') or also the other
  // indexes Strata's customers table has ('same': org unit, RM, kind), the nearest .import can
  // come to "the same table"; nothing is checked. Wall time of the process.
  const sqlite3 = '/usr/bin/sqlite3';
  const timeBin = '/usr/bin/time';
  const version = existsSync(sqlite3)
    ? spawnSync(sqlite3, ['--version'], { encoding: 'utf8' }).stdout?.split(' ')[0]
    : undefined;
  const peerName = `sqlite3 ${version} .import (no validation)`;
  const peer = (file, indexes) => {
    const dbFile = join(work, 'sqlite3.sqlite');
    for (const suffix of ['', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
    const head = Buffer.alloc(4096);
    const fd = openSync(file, 'r');
    const header = head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0)).split('\n')[0];
    closeSync(fd);
    const columns = header.split(',').map((c) => `"${c.trim()}" TEXT`);
    const setup = spawnSync(sqlite3, [dbFile], {
      encoding: 'utf8',
      input: `CREATE TABLE raw (${columns.join(', ')});\nCREATE UNIQUE INDEX raw_customer_id ON raw (customer_id);\n${
        indexes === 'same'
          ? 'CREATE INDEX raw_org_unit ON raw (org_unit_code);\nCREATE INDEX raw_rm ON raw (rm_code);\nCREATE INDEX raw_kind ON raw (kind);\n'
          : ''
      }`,
    });
    if (setup.status !== 0) throw new Error(`sqlite3: ${setup.stderr}`);
    const memFile = join(work, 'sqlite3.time');
    rmSync(memFile, { force: true });
    const withTime = existsSync(timeBin);
    const args = [dbFile, `.import --csv --skip 1 "${file}" raw`];
    const started = performance.now();
    const run = withTime
      ? spawnSync(timeBin, ['-f', '%M', '-o', memFile, sqlite3, ...args], { encoding: 'utf8' })
      : spawnSync(sqlite3, args, { encoding: 'utf8' });
    const ms = performance.now() - started;
    if (run.status !== 0 || run.stderr.trim()) throw new Error(`sqlite3 .import: ${run.stderr}`);
    const maxRssMb = withTime
      ? Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024
      : null;
    const count = Number(
      spawnSync(sqlite3, [dbFile, 'SELECT count(*) FROM raw'], { encoding: 'utf8' }).stdout.trim(),
    );
    for (const suffix of ['', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
    return { ms, maxRssMb, count };
  };

  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  if (!version)
    console.log(`  sqlite3 skipped: ${sqlite3} is not installed (Debian package sqlite3)`);
  else if (!existsSync(timeBin))
    console.log(
      `  sqlite3's peak memory skipped: ${timeBin} is not installed (Debian package time)`,
    );
  // Interleaved, so the page cache and the machine's state favour neither side.
  const runs = { ours: [], peer: [], bare: [] };
  for (let r = 0; r < REPEATS; r++) {
    runs.ours.push(ours(csv.customers, csv.rows));
    if (version) runs.peer.push(peer(csv.customers, 'same'));
    if (version) runs.bare.push(peer(csv.customers, 'key'));
  }
  // memory on twice the rows: flat means the same peak
  const twice = ours(csv.double, csv.doubleRows);
  rmSync(work, { recursive: true, force: true });

  const mid = (list, key) => median(list.map((x) => x[key]));
  const o = { ms: mid(runs.ours, 'ms'), mb: mid(runs.ours, 'maxRssMb'), last: runs.ours.at(-1) };
  const peerOf = (list) =>
    version
      ? {
          ms: mid(list, 'ms'),
          mb: list[0].maxRssMb === null ? null : mid(list, 'maxRssMb'),
          count: list.at(-1).count,
        }
      : null;
  const p = peerOf(runs.peer);
  const b = peerOf(runs.bare);
  const each = (list, key) => list.map((x) => fmt(x[key])).join(', ');
  report(
    `${name}, validated, vs sqlite3 .import into a table with the same indexes`,
    'ms',
    o.ms,
    version ? `${peerName}, unique key + org unit, RM, kind indexes` : 'sqlite3',
    p?.ms ?? null,
    `rows ${o.last.rowsWritten}, inserted ${o.last.inserted}${p ? `, sqlite3 rows ${p.count}` : ''}; median of ${REPEATS}: ours ${each(runs.ours, 'ms')}${p ? `, sqlite3 ${each(runs.peer, 'ms')}` : ''}`,
  );
  report(
    `${name}, validated, vs sqlite3 .import into a table with only the unique key`,
    'ms',
    o.ms,
    version ? `${peerName}, unique key only` : 'sqlite3',
    b?.ms ?? null,
    b ? `median of ${REPEATS}: sqlite3 ${each(runs.bare, 'ms')}` : '',
  );
  report(
    `${name}, peak memory vs ${doubleLabel} rows`,
    'MB',
    o.mb,
    `ours on ${doubleLabel} rows`,
    twice.maxRssMb,
    `median of ${REPEATS}; before the customers import ${fmt(o.last.rssBeforeMb)} MB; ${doubleLabel} rows took ${fmt(twice.ms)} ms`,
  );
  if (p?.mb != null)
    report(
      `${name}, peak memory vs sqlite3 .import`,
      'MB',
      o.mb,
      peerName,
      p.mb,
      '/usr/bin/time %M',
    );
}

// The large bank end to end, then the load test on it: the real server, the strategy map and
// list generation on the whole bank, autocannon on the four procedures.
if (wants('large')) {
  const large = largeBank(report);
  if (wants('load'))
    await loadBench(report, { sqliteFile: large.file, label: large.label, copy: false });
} else if (wants('load')) await loadBench(report, { sqliteFile, label });

if (wants('storage')) await storageBench(report);

if (wants('widgets')) {
  await widgetBudgets(report);
  await widgetTimes(report);
}
if (wants('dashboard')) await dashboardPages(report);

// A partial run (STRATA_BENCH_ONLY) keeps the other benchmarks' lines, merged by name.
const out = new URL('../results.json', import.meta.url).pathname;
let merged = results;
if (only.length > 0 && existsSync(out)) {
  const previous = JSON.parse(readFileSync(out, 'utf8'));
  const fresh = new Map(results.map((r) => [r.name, r]));
  merged = previous.map((r) => fresh.get(r.name) ?? r);
  for (const r of results) if (!previous.some((x) => x.name === r.name)) merged.push(r);
}
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`\nwrote ${out}`);
