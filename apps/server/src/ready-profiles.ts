// Keeping the ready-made customer profiles of a large bank current (see makeReadyProfiles in
// @strata/db): after a refresh made from the dashboard or the CLI, or an import, the server
// makes them again in the background.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import {
  getLatestInsightRun,
  readyProfilesUnderWay,
  type ReadyProfilesResult,
  type StrataDb,
} from '@strata/db';

/** The worker's compiled file (from the TypeScript source, in tests: the built one in dist/). */
const workerUrl = new URL(
  import.meta.url.endsWith('.ts')
    ? '../dist/ready-profiles-worker.js'
    : './ready-profiles-worker.js',
  import.meta.url,
);

/** Options for `keepProfilesReady`. */
export interface ProfileKeeperOptions {
  /** Banks with fewer customers explain every profile live. */
  readonly from: number;
  /** How often to look whether the set is behind. @default 10 s */
  readonly intervalMs?: number;
  readonly logger: Logger;
  /** Told when a set is complete (tests). */
  readonly onMade?: (result: ReadyProfilesResult) => void;
}

/**
 * Looks now and every `intervalMs` whether the ready profiles are those of the latest run at the
 * current data version, and makes them in a worker thread when they are not (one at a time; a
 * set that failed is not tried again until the run or the data changes). A SQLite file only:
 * in memory there is no second connection, and on PostgreSQL `strata refresh` makes them.
 */
export function keepProfilesReady(
  db: StrataDb,
  options: ProfileKeeperOptions,
): () => Promise<void> {
  if (db.dialect !== 'sqlite' || db.path === ':memory:') return () => Promise.resolve();
  let worker: Worker | null = null;
  let tried = '';
  const look = () => {
    if (worker) return;
    const run = getLatestInsightRun(db);
    if (!run) return;
    const row = db.sqlite
      .prepare(
        `SELECT (SELECT value FROM meta WHERE key = 'data_version') AS current,
           (SELECT data_version FROM insight_profile_sets WHERE run_id = ?) AS made`,
      )
      .get(run.id) as { current: string | null; made: number | null };
    const current = Number(row.current ?? 0);
    const wanted = `${run.id}:${current}`;
    // (one at a time: `strata refresh` on a large bank makes them itself)
    if (row.made === current || tried === wanted || readyProfilesUnderWay(db)) return;
    const customers = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    if (customers < options.from) return;
    tried = wanted;
    const started = performance.now();
    options.logger.info({ runId: run.id, customers }, 'making the ready profiles');
    const w = new Worker(workerUrl, { workerData: { dbPath: db.location, runId: run.id } });
    worker = w;
    w.on(
      'message',
      (m: { ok: true; result: ReadyProfilesResult } | { ok: false; message: string }) => {
        if (m.ok) {
          options.logger.info(
            { ...m.result, ms: Math.round(performance.now() - started) },
            'ready profiles made',
          );
          options.onMade?.(m.result);
        } else
          options.logger.warn(
            { runId: run.id, error: m.message },
            'ready profiles not made; explained live',
          );
      },
    );
    w.on('error', (error) =>
      options.logger.warn(
        { runId: run.id, error: error.message },
        'ready profiles not made; explained live',
      ),
    );
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
  };
  const timer = setInterval(look, options.intervalMs ?? 10_000);
  timer.unref();
  setImmediate(look);
  return async () => {
    clearInterval(timer);
    await worker?.terminate();
  };
}
