import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';
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
 * migrations applied. Pass ':memory:' for a throwaway database.
 * @example
 * const db = openDatabase('data/strata.db');
 * try { ... } finally { db.close(); }
 */
export function openDatabase(path: string, options: OpenOptions = {}): StrataDb {
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
  const orm = drizzle(sqlite, { schema });
  if (options.migrate ?? !options.readonly) migrate(orm, { migrationsFolder });
  return { orm, sqlite, path, close: () => sqlite.close() };
}
