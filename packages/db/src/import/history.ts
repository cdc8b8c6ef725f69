import { appendAudit } from '../audit.js';
import { isFull } from '../busy.js';
import type { StrataDb } from '../types.js';
import type { ImportKind } from './catalogue.js';
import type { ImportReport } from './request.js';

/**
 * Records how an import ended on its run (status, options, report, counts) and, for a failed
 * one, the failure in the audit log (a succeeded one was audited in its own transaction). On a
 * full disk a failed import cannot record itself: its run stays 'running' and the next start
 * marks it failed; the caller still gets the report saying why.
 */
export function recordImportRun(
  db: StrataDb,
  report: ImportReport,
  at: { name: string; actor: string; origin: string | null; now: Date },
): void {
  const record = db.sqlite.transaction(() => {
    db.sqlite
      .prepare(
        'UPDATE import_runs SET status = ?, finished_at = ?, options = ?, report = ?, rows_read = ?, rows_written = ?, rows_rejected = ?, error_file = ?, error = ? WHERE id = ?',
      )
      .run(
        report.status,
        new Date(at.now.getTime() + report.ms).toISOString(),
        JSON.stringify(report.read),
        JSON.stringify(report),
        report.rowsRead,
        report.rowsWritten,
        report.rowsRejected,
        report.errorFile,
        report.error,
        report.runId,
      );
    if (report.status === 'failed')
      appendAudit(
        db,
        {
          actor: at.actor,
          action: 'import.failed',
          target: `import:${report.runId}`,
          detail: { kind: report.kind, file: at.name, error: report.error },
          origin: at.origin,
        },
        at.now,
      );
  });
  try {
    record();
  } catch (error) {
    if (report.status === 'succeeded' || !isFull(error)) throw error;
  }
}

/** Marks imports left 'running' by a process that died as failed (their transaction was rolled back). */
export function failInterruptedImports(db: StrataDb, now = new Date()): number {
  return db.sqlite
    .prepare(
      "UPDATE import_runs SET status = 'failed', finished_at = ?, error = 'interrupted: the process stopped before the import finished; nothing of it was written' WHERE status = 'running'",
    )
    .run(now.toISOString()).changes;
}

/** Recent imports, newest first. */
export function listImportRuns(
  db: StrataDb,
  limit = 50,
): {
  id: number;
  kind: ImportKind;
  source: string | null;
  fileName: string;
  actor: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  error: string | null;
}[] {
  return db.sqlite
    .prepare(
      'SELECT id, kind, source, file_name AS fileName, actor, status, started_at AS startedAt, finished_at AS finishedAt, rows_read AS rowsRead, rows_written AS rowsWritten, rows_rejected AS rowsRejected, error FROM import_runs ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as ReturnType<typeof listImportRuns>;
}

/** One import's row, or undefined. */
export function getImportRun(
  db: StrataDb,
  id: number,
): ReturnType<typeof listImportRuns>[number] | undefined {
  return db.sqlite
    .prepare(
      'SELECT id, kind, source, file_name AS fileName, actor, status, started_at AS startedAt, finished_at AS finishedAt, rows_read AS rowsRead, rows_written AS rowsWritten, rows_rejected AS rowsRejected, error FROM import_runs WHERE id = ?',
    )
    .get(id) as ReturnType<typeof listImportRuns>[number] | undefined;
}

/** One import's stored report. */
export function getImportReport(db: StrataDb, id: number): ImportReport | undefined {
  const row = db.sqlite.prepare('SELECT report FROM import_runs WHERE id = ?').pluck().get(id) as
    string | null | undefined;
  return row ? (JSON.parse(row) as ImportReport) : undefined;
}
