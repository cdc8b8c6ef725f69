import type { StrataDb } from '@strata/db';

/** What every procedure can reach. Built per request by the server; tests build it directly. */
export interface Context {
  readonly db: StrataDb;
  /** The clock, so tests can fix it. */
  readonly now: () => Date;
}

/** Creates the context over an open database. */
export function createContext(db: StrataDb, now: () => Date = () => new Date()): Context {
  return { db, now };
}
