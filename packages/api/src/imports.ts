import { EventEmitter } from 'node:events';
import type { ImportKind, ImportProgress, ImportReport } from '@strata/db';

/** An import the server is running now, as the dashboard follows it. */
export interface LiveImport {
  readonly runId: number;
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly actor: string;
  progress: ImportProgress | null;
  status: 'running' | 'succeeded' | 'failed';
  report: ImportReport | null;
}

/**
 * The imports running in this server process, with their latest progress. Emits `progress`
 * and `done` (with the LiveImport) for event streams to relay.
 */
export class ImportJobs extends EventEmitter {
  private readonly jobs = new Map<number, LiveImport>();
  /**
   * The run id of the import in progress (0 while its upload is still arriving), or null: one
   * import at a time, since it holds the database's write lock.
   */
  running: number | null = null;

  /** Takes the one import slot, before the upload is read; false if it is taken. */
  claim(): boolean {
    if (this.running !== null) return false;
    this.running = 0;
    return true;
  }

  /** Gives the slot back when an upload fails before its import starts. */
  release(): void {
    if (this.running === 0) this.running = null;
  }

  start(job: Omit<LiveImport, 'progress' | 'status' | 'report'>): LiveImport {
    const live: LiveImport = { ...job, progress: null, status: 'running', report: null };
    this.jobs.set(job.runId, live);
    this.running = job.runId;
    return live;
  }

  progress(runId: number, progress: ImportProgress): void {
    const job = this.jobs.get(runId);
    if (!job) return;
    job.progress = progress;
    this.emit('progress', job);
  }

  finish(runId: number, report: ImportReport): void {
    const job = this.jobs.get(runId);
    if (this.running === runId) this.running = null;
    if (!job) return;
    job.status = report.status;
    job.report = report;
    job.progress = job.progress ?? {
      runId,
      bytesRead: 0,
      totalBytes: 0,
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
    };
    this.emit('done', job);
    // finished jobs are read from the database from now on
    setTimeout(() => this.jobs.delete(runId), 60_000).unref();
  }

  get(runId: number): LiveImport | undefined {
    return this.jobs.get(runId);
  }
}

/** The server's running imports. */
export const importJobs = new ImportJobs();
