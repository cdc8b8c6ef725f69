import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema/index.js';

/** An open Strata database: the drizzle handle for queries and the raw handle for bulk work. */
export interface StrataDb {
  readonly orm: BetterSQLite3Database<typeof schema>;
  readonly sqlite: Database.Database;
  readonly path: string;
  close(): void;
}
