import type { UserConfig } from 'vitest/config';

/** The shared test configuration (fixed time zone, no `.only`). */
export function strataTestConfig(options?: {
  include?: string[];
  testTimeout?: number;
}): UserConfig;
/** Configuration for the browser (Playwright + Chromium) tests: `*.e2e.test.ts`. */
export function strataE2eConfig(): UserConfig;
/** The integration tests named in `include` again, each database created on a PostgreSQL server started for the run. */
export function strataPostgresTestConfig(options: {
  include: string[];
  testTimeout?: number;
}): UserConfig;
