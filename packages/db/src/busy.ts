/** What a writer is told when another one holds the database (SQLite has one writer at a time). */
export const BUSY_MESSAGE =
  'Another import or a refresh is writing to the database; nothing was changed. Try again when it has finished.';

/** SQLite's "database is locked" after the busy timeout (another connection is writing). */
export function isBusy(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_BUSY';
}

/** The error to report: a clear one for a busy database, the original otherwise. */
export function explainBusy(error: unknown): unknown {
  return isBusy(error) ? new Error(BUSY_MESSAGE, { cause: error }) : error;
}
