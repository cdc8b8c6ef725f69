import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { verifyAuditLog } from './audit.js';
import { openDatabase } from './client.js';
import { backupPostgres, restorePostgres } from './pg/backup.js';
import { isPostgresUrl } from './pg/open.js';
import { fileHead } from './pg/tools.js';

/** What a backup or a restore checked and did. */
export interface BackupReport {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
  readonly ms: number;
  /** `PRAGMA integrity_check` of the copy: 'ok'. */
  readonly integrity: string;
  /** The audit log's hash chain in the copy, verified. */
  readonly auditEntries: number;
  /** Rows per table in the copy. */
  readonly tables: Readonly<Record<string, number>>;
}

/** Why a backup or restore was refused. Nothing was changed. */
export class BackupError extends Error {}

function inspect(path: string): Omit<BackupReport, 'ms' | 'pages'> {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok')
      throw new BackupError(`${path} fails the integrity check: ${integrity}`);
    const names = copy
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    if (!names.includes('audit_log') || !names.includes('customers'))
      throw new BackupError(`${path} is not a Strata database (no customers or audit_log table)`);
    const tables = Object.fromEntries(
      names.map((n) => [n, copy.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number]),
    );
    const audit = verifyAuditLog({ sqlite: copy });
    if (!audit.ok) throw new BackupError(`${path}: the audit log's hash chain is broken`);
    return { path, bytes: statSync(path).size, integrity, auditEntries: audit.checked, tables };
  } finally {
    copy.close();
  }
}

/**
 * Copies a live database to `destination` with SQLite's online backup API (a PostgreSQL
 * URL as `source`: `pg_dump`, see pg/backup.ts): the server keeps
 * serving and writing meanwhile (the copy is one consistent moment), then checks the copy —
 * integrity, the audit chain — and counts its rows. Refuses to overwrite a file.
 */
export async function backupDatabase(
  source: string,
  destination: string,
  onProgress?: (done: number, total: number) => void,
): Promise<BackupReport> {
  if (isPostgresUrl(source)) return backupPostgres(source, destination);
  if (!existsSync(source)) throw new BackupError(`No database at ${source}`);
  if (existsSync(destination))
    throw new BackupError(`${destination} exists; choose a new file (backups never overwrite)`);
  const started = performance.now();
  const live = new Database(source, { fileMustExist: true });
  let pages = 0;
  try {
    live.pragma('busy_timeout = 5000');
    const result = await live.backup(destination, {
      progress({ totalPages, remainingPages }) {
        pages = totalPages;
        onProgress?.(totalPages - remainingPages, totalPages);
        return 2_000; // pages per step: other connections write between steps
      },
    });
    pages = result.totalPages;
  } catch (error) {
    rmSync(destination, { force: true });
    throw error;
  } finally {
    live.close();
  }
  try {
    return { ...inspect(destination), pages, ms: Math.round(performance.now() - started) };
  } catch (error) {
    rmSync(destination, { force: true });
    throw error;
  }
}

/**
 * Puts a backup in place of the database at `target` (stop the server first; a PostgreSQL URL
 * as `target`: `pg_restore` into that empty database, see pg/backup.ts): the backup is
 * checked (integrity, audit chain, a Strata database) before anything changes, copied next to
 * the target and renamed over it in one step, and pending migrations are applied, so a backup
 * from an older version opens with this one. The old file's WAL is removed with it.
 */
export async function restoreDatabase(backup: string, target: string): Promise<BackupReport> {
  if (isPostgresUrl(target)) return restorePostgres(backup, target);
  if (!existsSync(backup)) throw new BackupError(`No backup at ${backup}`);
  if (fileHead(backup).startsWith('PGDMP'))
    throw new BackupError(
      `${backup} is a PostgreSQL backup (pg_dump); restore it with --db postgres://…`,
    );
  const started = performance.now();
  inspect(backup); // refuse a bad backup before touching the target
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const from = new Database(backup, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    pages = (await from.backup(staging)).totalPages;
  } finally {
    from.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  openDatabase(target).close(); // migrations, WAL mode
  return { ...inspect(target), pages, ms: Math.round(performance.now() - started) };
}
