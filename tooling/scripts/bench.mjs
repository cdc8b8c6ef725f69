// `pnpm bench` / `npm run bench`: install what the benchmarks need (dependencies, Debian's
// python3-sklearn for the scikit-learn peer, sqlite3 and time for the import benchmark's peer),
// build, and run bench/src/run.mjs. STRATA_BENCH_ONLY=import (or kmeans, rule, refresh, pushdown, widgets;
// comma-separated) runs only those benchmarks, and installs only what they need.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensurePnpm,
  ensureWarehouses,
  env,
  install,
  pnpm,
  root,
  step,
  succeeds,
  tryApt,
} from './bootstrap.mjs';

const only = (env.STRATA_BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const wants = (name) => only.length === 0 || only.includes(name);
const pnpmCommand = ensurePnpm();
install(pnpmCommand);
const python = '/usr/bin/python3';
const hasSklearn = () => succeeds(python, ['-c', 'import sklearn, threadpoolctl']);
if (wants('kmeans') && !hasSklearn()) {
  step('Installing Debian package python3-sklearn (the scikit-learn peer)');
  if (!tryApt(['python3-sklearn']) || !hasSklearn())
    console.log(
      '  python3-sklearn could not be installed: the scikit-learn comparison will be skipped.',
    );
}
// The import peer: Debian's sqlite3 shell, and GNU time for its peak memory.
const missing = wants('import')
  ? [
      ['sqlite3', '/usr/bin/sqlite3'],
      ['time', '/usr/bin/time'],
    ].filter(([, path]) => !existsSync(path))
  : [];
if (missing.length > 0) {
  const names = missing.map(([name]) => name);
  step(`Installing Debian packages ${names.join(' ')} (the sqlite3 .import peer)`);
  if (!tryApt(names) || missing.some(([, path]) => !existsSync(path)))
    console.log(
      '  sqlite3 or time could not be installed: the sqlite3 comparison (or its peak memory) will be skipped.',
    );
}
// The widget timing runs in Debian's Chromium.
if (
  (wants('widgets') || wants('dashboard')) &&
  !existsSync(env.CHROMIUM_PATH ?? '/usr/bin/chromium')
) {
  step('Installing Debian package chromium (the widget and dashboard timings)');
  if (!tryApt(['chromium']))
    console.log('  chromium could not be installed: the widget timing will fail.');
}
// The pushdown benchmark starts Debian's ClickHouse and PostgreSQL servers on loopback; the
// storage benchmark a PostgreSQL one.
if (wants('pushdown') || wants('storage')) ensureWarehouses();
step('Building (turbo run build)');
pnpm(pnpmCommand, [
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@strata/bench...',
  '--filter=@strata/server...',
  '--output-logs=errors-only',
]);
step(
  `Running the benchmarks${only.length ? ` (only ${only.join(', ')})` : ''} (the first run builds the bank and the CSV files in bench/.cache)`,
);
const result = spawnSync(process.execPath, [join(root, 'bench/src/run.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
