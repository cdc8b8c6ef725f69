import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema/index.js';

/** An open Strata database: the drizzle handle for queries and the raw handle for bulk work. */
export interface StrataDb {
  readonly orm: BetterSQLite3Database<typeof schema>;
  readonly sqlite: Database.Database;
  /** The SQLite file (':memory:'), or the PostgreSQL URL with its password masked. */
  readonly path: string;
  /** Which database holds the data: SQLite (the default) or PostgreSQL. */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * What `openDatabase` was given, to open the same database again (an import's thread does):
   * a PostgreSQL URL keeps its password here — log `path`, never this.
   */
  readonly location: string;
  close(): void;
}
