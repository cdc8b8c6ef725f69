// `npm test`: install what is missing, build, and run every check and test: lint, types, unit and
// integration tests (real SQLite, real HTTP) and browser tests (Debian's Chromium).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBrowser, ensurePnpm, install, pnpm, root, step } from './bootstrap.mjs';

const started = Date.now();
const pnpmCommand = ensurePnpm();
install(pnpmCommand);
ensureBrowser();

const resultDirs = ['apps', 'packages'].flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name, '.test-results')));
for (const dir of resultDirs) rmSync(dir, { recursive: true, force: true });

step('Building, linting, type-checking and testing (turbo run build lint typecheck test test:e2e)');
const status = pnpm(pnpmCommand, ['exec', 'turbo', 'run', 'build', 'lint', 'typecheck', 'test', 'test:e2e', '--continue', '--output-logs=new-only'], {
  allowFailure: true,
});

// Every vitest run writes a JSON report; add them up into one closing line.
let passed = 0;
let failed = 0;
let files = 0;
for (const dir of resultDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numTotalTests - report.numPassedTests - report.numFailedTests - report.numPendingTests - report.numTodoTests);
    files++;
  }
}
console.log(`\nStrata: ${files} test runs in ${Math.round((Date.now() - started) / 1000)} s${status === 0 ? '' : ' — a build, lint or type check failed, see above'}`);
if (passed + failed === 0 && status === 0) {
  console.error('No tests ran.');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
