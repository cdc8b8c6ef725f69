/**
 * vitest's global setup for the `test:pg` runs: starts a throwaway PostgreSQL (Debian's
 * package, on loopback) and names it in STRATA_TEST_POSTGRES, so `openTestDatabase()` gives
 * each test a fresh database on it instead of SQLite in memory. Without autovacuum: see
 * `startPostgres`.
 */
import { TEST_POSTGRES_ENV, startPostgres } from './testing.js';

export default async function setup(): Promise<() => Promise<void>> {
  const server = await startPostgres({ autovacuum: false });
  process.env[TEST_POSTGRES_ENV] = server.url;
  return () => server.stop();
}
