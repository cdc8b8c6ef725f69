// `npm test`: install what is missing, build, and run every check and test: lint, types, unit and
// integration tests (real SQLite, real HTTP, Debian's PostgreSQL and ClickHouse servers on loopback;
// the API and server integration tests a second time with Strata's data on PostgreSQL)
// and browser tests (Debian's Chromium).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureBrowser,
  ensurePnpm,
  ensureWarehouses,
  install,
  pnpm,
  root,
  step,
} from './bootstrap.mjs';

const started = Date.now();
const pnpmCommand = ensurePnpm();
install(pnpmCommand);
ensureBrowser();
ensureWarehouses();

const resultDirs = ['apps', 'packages'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name, '.test-results')),
);
for (const dir of resultDirs) rmSync(dir, { recursive: true, force: true });

step('Checking formatting (prettier --check)');
const formatted = pnpm(pnpmCommand, ['exec', 'prettier', '--check', '--log-level=warn', '.'], {
  allowFailure: true,
});

step(
  'Building, linting, type-checking and testing (turbo run build lint typecheck test test:e2e test:pg)',
);
const tasks = pnpm(
  pnpmCommand,
  [
    'exec',
    'turbo',
    'run',
    'build',
    'lint',
    'typecheck',
    'test',
    'test:e2e',
    'test:pg',
    '--continue',
    '--output-logs=new-only',
  ],
  {
    allowFailure: true,
  },
);

// Every vitest run writes a JSON report; add them up into one closing line. A skipped or
// unfinished test counts against the run: none may be left behind.
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const dir of resultDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    passed += report.numPassedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    failed +=
      report.numTotalTests - report.numPassedTests - report.numPendingTests - report.numTodoTests;
    files++;
  }
}
const status = tasks !== 0 ? tasks : formatted;
const seconds = Math.round((Date.now() - started) / 1000);
const problem = status === 0 ? '' : ' — a build, lint, format or type check failed, see above';
console.log(`\nStrata: ${files} test runs in ${seconds} s${problem}`);
if (passed + failed === 0 && status === 0) {
  console.error('No tests ran.');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || failed > 0 || skipped > 0 ? 1 : 0);
