import type { StrataDb } from '@strata/db';

/** What every procedure can reach. Built per request by the server; tests build it directly. */
export interface Context {
  readonly db: StrataDb;
}

/** Creates the context over an open database. */
export function createContext(db: StrataDb): Context {
  return { db };
}
