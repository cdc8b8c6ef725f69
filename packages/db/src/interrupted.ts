import type { StrataDb } from './types.js';

/**
 * Marks the lifecycle and insight runs a killed process left `running` as failed. A run's rows
 * are written in one transaction, so an interrupted run left none behind and earlier runs stand;
 * this only corrects its record. Call it at start-up, before any refresh of this process.
 */
export function failInterruptedRuns(
  db: StrataDb,
  now: Date = new Date(),
): { readonly lifecycle: number; readonly insight: number } {
  const error = 'interrupted: the process stopped before the run finished; nothing of it was kept';
  const mark = (table: string) =>
    db.sqlite
      .prepare(
        `UPDATE ${table} SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running'`,
      )
      .run(now.toISOString(), error).changes;
  return db.sqlite.transaction(() => ({
    lifecycle: mark('lifecycle_runs'),
    insight: mark('insight_runs'),
  }))();
}
