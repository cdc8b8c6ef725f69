/** What a writer is told when another one holds the database (SQLite has one writer at a time). */
export const BUSY_MESSAGE =
  'Another import or a refresh is writing to the database; nothing was changed. Try again when it has finished.';

/**
 * SQLite's "database is locked" after the busy timeout (another connection is writing), or
 * PostgreSQL's lock timeout on the writers' lock (55P03, see pg/connection.ts).
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === '55P03';
}

/** What a writer is told when the disk (or the file's size limit) is full. */
export const FULL_MESSAGE =
  'The disk is full: nothing was changed (the database is intact). Free some space and try again.';

/** SQLite's "database or disk is full", or PostgreSQL's disk_full (53100). */
export function isFull(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

/** The error to report: a clear one for a busy database or a full disk, the original otherwise. */
export function explainBusy(error: unknown): unknown {
  if (isBusy(error)) return new Error(BUSY_MESSAGE, { cause: error });
  if (isFull(error)) return new Error(FULL_MESSAGE, { cause: error });
  return error;
}
