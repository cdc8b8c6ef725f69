import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';
import { isPostgresUrl, openPostgres } from './pg/open.js';
import type { StrataDb } from './types.js';

/** Where the committed migrations live (shipped with the package). */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Options for `openDatabase`. */
export interface OpenOptions {
  /** Apply pending migrations. @default true */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) a Strata SQLite database: WAL journal, foreign keys on,
 * migrations applied. Pass ':memory:' for a throwaway database, or a `postgres://` URL for
 * PostgreSQL (see pg/open.ts).
 * @example
 * const db = openDatabase('data/strata.db');
 * try { ... } finally { db.close(); }
 */
export function openDatabase(path: string, options: OpenOptions = {}): StrataDb {
  if (isPostgresUrl(path)) return openPostgres(path, migrationsFolder, options);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  if (!options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  // 128 MB of page cache (SQLite's default is 2 MB): index inserts and reads of a bank-sized
  // file otherwise go to disk page by page.
  sqlite.pragma('cache_size = -131072');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  const orm = drizzle(sqlite, { schema });
  if (options.migrate ?? !options.readonly) migrate(orm, { migrationsFolder });
  return { orm, sqlite, path, location: path, dialect: 'sqlite', close: () => sqlite.close() };
}

/** Prepared statements kept per connection (by SQL text and mode). */
const STATEMENTS = 512;
type Mode = 'plain' | 'pluck' | 'raw' | 'expand';

/**
 * Makes `prepare` hand back the statement already prepared for the same SQL: preparing is
 * SQLite's dearest step for the small queries a request makes (a fifth of the strategy map's
 * time under load). A kept statement never changes mode — its `pluck()`, `raw()` and `expand()`
 * hand back the statement kept for that mode — so code holding one is never surprised by code
 * that prepared the same SQL; one still being iterated is not handed out (a fresh one is).
 */
function cacheStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  const get = (source: string, mode: Mode): Database.Statement => {
    const key = `${mode}\u0000${source}`;
    const hit = kept.get(key);
    if (hit && !hit.busy) return hit;
    const statement = prepare(source);
    if (mode !== 'plain') statement[mode](true);
    if (hit) return statement; // the kept one is busy: this one is not kept
    for (const m of ['pluck', 'raw', 'expand'] as const)
      (statement as unknown as Record<Mode, (on?: boolean) => Database.Statement>)[m] = (
        on = true,
      ) => get(source, on ? m : 'plain');
    kept.set(key, statement);
    if (kept.size > STATEMENTS) kept.delete(kept.keys().next().value as string);
    return statement;
  };
  sqlite.prepare = ((source: string) => get(source, 'plain')) as typeof sqlite.prepare;
}
