// `pnpm bench`: Strata against named peers on the same data in the same run. Prints one line per
// benchmark, `name: ours <v> <unit> | peer <name> <v> <unit> | ratio <ours/peer>` (below 1 is
// faster or smaller than the peer), and writes the same to bench/results.json.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
import { bankSize, cacheDir, ensureDuckBank, ensureSqliteBank } from './data.mjs';

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
const sqliteFile = ensureSqliteBank();
const duckFile = await ensureDuckBank(sqliteFile);
const db = openDatabase(sqliteFile, { readonly: true });
const periods = loadPeriods(db);
const asOf = periods[periods.length - 1];
console.log(
  `\nLoading ${total.toLocaleString('en')} customers × ${periods.length} months for ${asOf} into columns`,
);
const input = loadFeatureInput(db, asOf);

// ---------------------------------------------------------------------------------------------
// 1. k-means: 16 standardised features, k = 8, 20 iterations from the same initial centres.
{
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
{
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
db.close();

// ---------------------------------------------------------------------------------------------
// 3. The whole insight refresh (load from SQLite in chunks, compute, store), in its own process.
{
  const name = `insight refresh ${label}×${periods.length} months`;
  console.log(`\n${name}`);
  const child = spawnSync(
    process.execPath,
    [new URL('./refresh-child.mjs', import.meta.url).pathname, sqliteFile],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  const r = JSON.parse(child.stdout.trim().split('\n').pop());
  const t = r.timings;
  const engine = ['tag', 'features', 'rfm', 'cluster', 'segments', 'aggregate'].reduce(
    (a, k) => a + (t[k] ?? 0),
    0,
  );
  const detail = Object.entries(t)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  report(`${name}, engine (all steps in memory)`, 'ms', engine, 'goal', 10_000, detail);
  report(`${name}, whole (SQLite read + engine + store)`, 'ms', r.wallMs, 'goal', 10_000);
  report(`${name}, peak memory (whole)`, 'MB', r.maxRssMb, 'goal', 2048);
}

const out = new URL('../results.json', import.meta.url).pathname;
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${out}`);
