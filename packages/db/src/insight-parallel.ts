import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { InsightChunk, InsightConfig, InsightModel, Period } from '@strata/core';
import type { BlockJob, InsightWorkerData, InsightWorkerMessage } from './insight-worker.js';
import type { BlockHeader } from './metric-blocks.js';
import type { ProfilePages } from './profile-pages.js';
import type { StrataDb } from './types.js';

/** How long a worker may go without posting a block before the refresh gives up on it. */
const STALL_MS = 120_000;

const workerFile = new URL(
  import.meta.url.endsWith('.ts') ? '../dist/insight-worker.js' : './insight-worker.js',
  import.meta.url,
);

/**
 * Whether `parallelInsightChunks` can run on this database: a SQLite file (worker threads open
 * it again; `:memory:` and PostgreSQL cannot be), with the worker script built.
 */
export function canTagInParallel(db: StrataDb): boolean {
  return db.dialect === 'sqlite' && !db.sqlite.memory && existsSync(workerFile);
}

/**
 * The blocks of data version `version` read and tagged (`insightChunk`) by worker threads, one
 * share of the blocks each, yielded in block order: what `refreshInsightChunks` reads, the same
 * chunks as tagging `decodeBlock`'s inputs in this thread, at about 1/threads of the time.
 * Synchronous, like the rest of the refresh: this thread waits with `Atomics.wait` for the next
 * block. The workers stop when the generator ends, is returned early or throws.
 */
export function parallelInsightChunks(
  db: StrataDb,
  blocks: readonly BlockHeader[],
  version: number,
  asOf: Period,
  config: InsightConfig,
  threads = availableParallelism(),
): Generator<InsightChunk> {
  return parallelBlocks<InsightChunk>(db, blocks, version, asOf, { kind: 'tag', config }, threads);
}

/**
 * The ready profiles (`encodeProfilePages`) of the blocks of data version `version`, made by
 * worker threads a share each and yielded in block order, as `parallelInsightChunks` does.
 */
export function parallelProfilePages(
  db: StrataDb,
  blocks: readonly BlockHeader[],
  version: number,
  runId: number,
  model: InsightModel,
  dictionary: Uint8Array,
  token: string,
  threads = availableParallelism(),
): Generator<ProfilePages> {
  const job: BlockJob = { kind: 'profiles', runId, model, dictionary, token };
  return parallelBlocks<ProfilePages>(db, blocks, version, model.period, job, threads);
}

function* parallelBlocks<T>(
  db: StrataDb,
  blocks: readonly BlockHeader[],
  version: number,
  asOf: Period,
  job: BlockJob,
  threads: number,
): Generator<T> {
  const count = Math.max(1, Math.min(threads, blocks.length));
  const workers = Array.from({ length: count }, (_, w) => {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const data: InsightWorkerData = {
      file: db.sqlite.name,
      version,
      asOf,
      job,
      firstIds: blocks.filter((_, b) => b % count === w).map((b) => b.firstId),
      port: port2,
      flag,
    };
    const worker = new Worker(workerFile, { workerData: data, transferList: [port2] });
    worker.unref();
    return { worker, port: port1, flag, taken: 0 };
  });
  try {
    for (let b = 0; b < blocks.length; b++) {
      const w = workers[b % count] as (typeof workers)[number];
      let message: InsightWorkerMessage | undefined;
      let waited = 0;
      while (!message) {
        const posted = Atomics.load(w.flag, 0);
        if (posted > w.taken)
          message = receiveMessageOnPort(w.port)?.message as InsightWorkerMessage | undefined;
        if (message) break;
        // Counted but not yet receivable (the count can run a moment ahead), or not posted yet.
        const slice = posted > w.taken ? 1 : 1_000;
        if (Atomics.wait(w.flag, 0, posted, slice) === 'timed-out') waited += slice;
        if (waited > STALL_MS)
          throw new Error('An insight worker thread stopped answering; nothing was stored.');
      }
      w.taken++;
      if (!message.ok) throw new Error(message.message);
      yield message.result as T;
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}
