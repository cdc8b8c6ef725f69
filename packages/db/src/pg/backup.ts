import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { verifyAuditLog } from '../audit.js';
import { BackupError, type BackupReport } from '../backup.js';
import { openDatabase } from '../client.js';
import type { StrataDb } from '../types.js';
import { PostgresConnection } from './connection.js';
import { fileHead, postgresTool } from './tools.js';

/** The URL without its password, and the password for the tools' environment (not argv). */
function credentials(url: string): { readonly url: string; readonly env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    url: parsed.toString(),
    env: { ...process.env, ...(password && { PGPASSWORD: password }) },
  };
}

/** Runs a PostgreSQL tool; its error output becomes the error. */
function run(
  tool: 'pg_dump' | 'pg_restore',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(postgresTool(tool), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new BackupError(
          `${tool} could not be started (${error.message}): install postgresql-client.`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${tool} failed: ${stderr.trim() || `exit ${code}`}`)),
    );
  });
}

/** Rows per table and the audit chain, read in `db`'s current transaction. */
function census(db: StrataDb): { tables: Record<string, number>; auditEntries: number } {
  const names = db.sqlite
    .prepare(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .pluck()
    .all() as string[];
  const tables = Object.fromEntries(
    names.map((n) => [n, db.sqlite.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number]),
  );
  const audit = verifyAuditLog(db);
  if (!audit.ok) throw new BackupError(`${db.path}: the audit log's hash chain is broken`);
  return { tables, auditEntries: audit.checked };
}

/**
 * Backs up Strata's PostgreSQL database with `pg_dump` (custom format) while the server keeps
 * running: the dump is taken from a snapshot this function exports, and the rows it counts and
 * the audit chain it verifies are read in that same snapshot — the report describes exactly
 * what the file holds. Refuses to overwrite a file.
 */
export async function backupPostgres(source: string, destination: string): Promise<BackupReport> {
  if (existsSync(destination))
    throw new BackupError(`${destination} exists; choose a new file (backups never overwrite)`);
  const started = performance.now();
  const db = openDatabase(source, { migrate: false });
  try {
    db.sqlite.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = db.sqlite.prepare('SELECT pg_export_snapshot()').pluck().get() as string;
    const seen = census(db);
    const { url, env } = credentials(source);
    try {
      await run(
        'pg_dump',
        ['--format=custom', `--snapshot=${snapshot}`, `--file=${destination}`, `--dbname=${url}`],
        env,
      );
      await run('pg_restore', ['--list', destination], env); // the archive reads back whole
    } catch (error) {
      rmSync(destination, { force: true });
      throw error;
    }
    db.sqlite.exec('COMMIT');
    return {
      path: destination,
      bytes: statSync(destination).size,
      pages: 0,
      ms: Math.round(performance.now() - started),
      integrity: 'ok',
      ...seen,
    };
  } finally {
    db.close();
  }
}

/**
 * Restores a `pg_dump` backup into an empty PostgreSQL database (create it first: a restore
 * never overwrites data), in one transaction — a failure leaves it empty — then opens it (the
 * schema must be this Strata's), verifies the audit chain and counts the rows.
 */
export async function restorePostgres(backup: string, target: string): Promise<BackupReport> {
  if (!existsSync(backup)) throw new BackupError(`No backup at ${backup}`);
  const head = fileHead(backup);
  if (head.startsWith('SQLite format 3'))
    throw new BackupError(
      `${backup} is a SQLite backup; restore it with --db FILE, not into PostgreSQL.`,
    );
  if (!head.startsWith('PGDMP'))
    throw new BackupError(`${backup} is not a pg_dump archive (custom format).`);
  const started = performance.now();
  const { url, env } = credentials(target);
  const empty = new PostgresConnection(target);
  try {
    const tables = empty
      .prepare(
        'SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()',
      )
      .pluck()
      .get() as number;
    if (tables > 0)
      throw new BackupError(
        `${empty.name} already holds ${tables} tables; restore into an empty database.`,
      );
  } finally {
    empty.close();
  }
  await run(
    'pg_restore',
    ['--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${url}`, backup],
    env,
  );
  const db = openDatabase(target, { migrate: false });
  try {
    return {
      path: db.path,
      bytes: statSync(backup).size,
      pages: 0,
      ms: Math.round(performance.now() - started),
      integrity: 'ok',
      ...census(db),
    };
  } finally {
    db.close();
  }
}
