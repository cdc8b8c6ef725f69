import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run in a fixed time zone; the clock is a parameter of everything under test.
process.env.TZ = 'UTC';

/**
 * The shared test configuration.
 * @param {{ include?: string[], testTimeout?: number }} [options]
 */
export function strataTestConfig(options = {}) {
  return defineConfig({
    test: {
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 120_000,
      env: { TZ: 'UTC' },
      allowOnly: false,
      passWithNoTests: false,
      setupFiles: [fileURLToPath(new URL('./setup.js', import.meta.url))],
      // The JSON report is what `npm test` adds up into its closing line.
      reporters: ['default', ['json', { outputFile: '.test-results/unit.json' }]],
    },
  });
}

/** Configuration for the browser (Playwright + Chromium) tests: `*.e2e.test.ts`. */
export function strataE2eConfig() {
  return defineConfig({
    test: {
      include: ['test/**/*.e2e.test.ts', 'src/**/*.e2e.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 300_000,
      // expect.poll gives up after 1 s by default; a page on a loaded CI machine can need longer
      expect: { poll: { timeout: 15_000 } },
      env: { TZ: 'UTC' },
      allowOnly: false,
      fileParallelism: false,
      reporters: ['default', ['json', { outputFile: '.test-results/e2e.json' }]],
    },
  });
}

/**
 * The integration tests again, on PostgreSQL: `include` names the test files that open their
 * database with `openTestDatabase()`; a PostgreSQL server is started for the run
 * (`@strata/db/pg-test-server`) and each of those databases is created on it.
 * @param {{ include: string[], testTimeout?: number }} options
 */
export function strataPostgresTestConfig(options) {
  // Every query is a round trip to the server, and CI runs these beside the other suites on
  // two cores: a test that takes 5 s alone has taken 43 s there. The timeout catches hangs.
  const config = strataTestConfig({ ...options, testTimeout: options.testTimeout ?? 120_000 });
  return defineConfig({
    test: {
      ...config.test,
      // resolved from the package under test (which depends on @strata/db)
      globalSetup: [
        createRequire(join(process.cwd(), 'package.json')).resolve('@strata/db/pg-test-server'),
      ],
      reporters: ['default', ['json', { outputFile: '.test-results/pg.json' }]],
    },
  });
}
