import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './client.js';
import { postgresBin } from './pg/tools.js';

export { postgresBin };
import { PostgresConnection } from './pg/connection.js';
import type { StrataDb } from './types.js';

/** A server started for a test or a benchmark, on loopback, in a directory of its own. */
export interface LocalServer {
  /** How to reach it: a connection string (PostgreSQL) or the shards' HTTP addresses (ClickHouse). */
  readonly url: string;
  readonly shards: readonly string[];
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL on a loopback port (Debian's `postgresql` package): initdb in
 * a fresh directory, trust authentication for user `strata`, fsync off. As root it runs as
 * the `postgres` user (PostgreSQL refuses root).
 */
export async function startPostgres(
  options: {
    /**
     * Autovacuum (and its ANALYZE) as on a real server. The `test:pg` runs turn it off: its
     * ANALYZE transactions start and end on their own, and the server's remembered answers
     * (apps/server/src/answers.ts) rightly forget on any such transaction, mid-test.
     */
    readonly autovacuum?: boolean;
  } = {},
): Promise<LocalServer> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'strata-pg-server-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], {
          encoding: 'utf8',
        })
      : spawnSync(join(bin, command), args, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${command} failed: ${(result.stderr || result.stdout || '').trim()}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'strata', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off${options.autovacuum === false ? ' -c autovacuum=off' : ''}`,
    'start',
  ]);
  const url = `postgres://strata@127.0.0.1:${port}/postgres`;
  return {
    url,
    shards: [url],
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The PostgreSQL server the integration tests run against, when they do (see vitest.pg.config.ts). */
export const TEST_POSTGRES_ENV = 'STRATA_TEST_POSTGRES';

let databases = 0;

/**
 * A fresh, empty Strata database for a test: SQLite in memory, or — when STRATA_TEST_POSTGRES
 * names a PostgreSQL server (the `test:pg` runs) — a new database created on that server.
 */
export function openTestDatabase(): StrataDb {
  const server = process.env[TEST_POSTGRES_ENV];
  if (!server) return openDatabase(':memory:');
  const name = `strata_test_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const admin = new PostgresConnection(server);
  try {
    admin.call({ op: 'exec', sql: `CREATE DATABASE ${name}` });
  } finally {
    admin.close();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return openDatabase(url.toString());
}
