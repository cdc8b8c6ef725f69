// Running an uploaded file's import: in a worker thread on its own connection (or inline for an
// in-memory database), its progress and report handed to the API's import jobs; and sweeping
// what a crash left in the imports folder.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { importJobs, type Caller, type LiveImport } from '@strata/api';
import {
  importFile,
  type ImportKind,
  type ImportReport,
  type ImportRequest,
  type StrataDb,
} from '@strata/db';

/**
 * The worker's compiled file. Run from the TypeScript source (tests), it is the built one in
 * dist/, which turbo builds before the end-to-end tests.
 */
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? '../dist/import-worker.js' : './import-worker.js',
  import.meta.url,
);

/** Runs an import: in a worker on its own connection for a database file, inline for :memory:. */
export function startImport(
  db: StrataDb,
  dir: string,
  upload: string,
  fileName: string,
  request: Omit<ImportRequest, 'onProgress' | 'onStart' | 'now' | 'errorFile'>,
  caller: Caller,
  now: Date,
): Promise<number> {
  const kind = request.kind as ImportKind;
  let live: LiveImport | undefined;
  const begin = (runId: number) => {
    live = importJobs.start({ runId, kind, fileName, actor: caller.actor });
  };
  const end = (report: ImportReport) => {
    rmSync(upload, { force: true });
    importJobs.finish(report.runId, report);
  };
  // the error file is named after the run, which exists only once the import starts
  const errorFile = join(dir, `${randomUUID()}.errors.csv`);
  const named = (runId: number) => join(dir, `${runId}-errors.csv`);
  if (db.path === ':memory:') {
    let id = 0;
    const report = importFile(db, {
      ...request,
      input: { path: upload, name: fileName },
      errorFile,
      now,
      onStart: (runId) => {
        id = runId;
        begin(runId);
      },
      onProgress: (p) => importJobs.progress(p.runId, p),
    });
    renameErrors(errorFile, named(id), report.rowsRejected);
    end(report);
    return Promise.resolve(id);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: {
        dbPath: db.location,
        request: { ...request, errorFile, now: now.toISOString() },
      },
    });
    let done = false;
    /** The worker died before its report: the run is failed, its files go, the slot is freed. */
    const died = (message: string) => {
      if (done) return;
      done = true;
      rmSync(upload, { force: true });
      rmSync(errorFile, { force: true });
      if (!live) {
        importJobs.release();
        reject(new Error(message));
        return;
      }
      const error = `The import stopped: ${message}`;
      db.sqlite
        .prepare(
          "UPDATE import_runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
        )
        .run(new Date().toISOString(), error, live.runId);
      importJobs.finish(live.runId, failedReport(live.runId, live.kind, error));
    };
    worker.on(
      'message',
      (message: {
        type: string;
        runId?: number;
        progress?: never;
        report?: ImportReport;
        message?: string;
      }) => {
        if (message.type === 'start' && message.runId !== undefined) {
          begin(message.runId);
          resolve(message.runId);
        } else if (message.type === 'progress' && message.progress && live)
          importJobs.progress(live.runId, message.progress);
        else if (message.type === 'done' && message.report) {
          done = true;
          renameErrors(errorFile, named(message.report.runId), message.report.rowsRejected);
          end(message.report);
        } else if (message.type === 'error') died(message.message ?? 'the import failed');
      },
    );
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`the import's thread exited (${code})`));
  });
}

/** The report of an import whose thread died. */
function failedReport(runId: number, kind: ImportKind, error: string): ImportReport {
  return {
    runId,
    kind,
    status: 'failed',
    error,
    rowsRead: 0,
    rowsWritten: 0,
    inserted: 0,
    updated: 0,
    rowsRejected: 0,
    issues: {},
    fields: {},
    examples: [],
    empty: {},
    read: null,
    links: null,
    errorFile: null,
    ms: 0,
  };
}

/**
 * Removes uploads and unnamed error files a crash left in the imports folder (a finished run's
 * error file is named after it and kept). Call at start, before any import runs.
 */
export function sweepImportFiles(dir: string, db: StrataDb): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  const kept = new Set(
    (
      db.sqlite
        .prepare("SELECT id FROM import_runs WHERE status <> 'running'")
        .pluck()
        .all() as number[]
    ).map((id) => `${id}-errors.csv`),
  );
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.upload') || (name.endsWith('.errors.csv') && !kept.has(name))) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

function renameErrors(from: string, to: string, rejected: number): void {
  if (!existsSync(from)) return;
  if (rejected === 0) rmSync(from, { force: true });
  else renameSync(from, to);
}
