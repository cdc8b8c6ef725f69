/**
 * Works through blocks of customers on a thread of its own (see insight-parallel.ts): reads
 * each block it was given from its own read-only connection, in one read transaction (one
 * snapshot), and either tags it for an insight refresh (`insightChunk`) or makes its customers'
 * ready profiles (`encodeProfilePages`); posts the result back, its arrays transferred, then
 * counts it on `flag` and wakes the waiting thread.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  insightChunk,
  packInsightChunk,
  type InsightChunk,
  type InsightConfig,
  type InsightModel,
  type Period,
} from '@strata/core';
import { readBlock } from './metric-blocks.js';
import { encodeProfilePages, type ProfilePages } from './profile-pages.js';

/** What a worker does with each block. */
export type BlockJob =
  | { readonly kind: 'tag'; readonly config: InsightConfig }
  | {
      readonly kind: 'profiles';
      readonly runId: number;
      readonly model: InsightModel;
      readonly dictionary: Uint8Array;
      readonly token: string;
    };

/** What the refreshing thread gives a worker. */
export interface InsightWorkerData {
  readonly file: string;
  readonly version: number;
  readonly asOf: Period;
  readonly job: BlockJob;
  /** The first customer id of each block to tag, in the order to post them. */
  readonly firstIds: readonly number[];
  readonly port: MessagePort;
  /** [0]: messages posted so far. */
  readonly flag: Int32Array;
}

/** One message: a block's result (a tagged chunk or profile pages), or why the worker stopped. */
export type InsightWorkerMessage =
  | { readonly ok: true; readonly result: InsightChunk | ProfilePages }
  | { readonly ok: false; readonly message: string };

const { file, version, asOf, job, firstIds, port, flag } = workerData as InsightWorkerData;

const post = (message: InsightWorkerMessage, transfer: ArrayBuffer[] = []) => {
  port.postMessage(message, transfer);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
};

let sqlite: Database.Database | null = null;
try {
  sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.exec('BEGIN');
  for (const firstId of firstIds) {
    const input = readBlock(sqlite, version, firstId, asOf);
    if (job.kind === 'tag') {
      const [chunk, transfer] = packInsightChunk(insightChunk(input, job.config));
      post({ ok: true, result: chunk }, transfer);
    } else {
      const { runId, model, dictionary, token } = job;
      const pages = encodeProfilePages(sqlite, input, runId, model, dictionary, token);
      post({ ok: true, result: pages }, [
        pages.ids.buffer as ArrayBuffer,
        pages.ends.buffer as ArrayBuffer,
        pages.bytes.buffer as ArrayBuffer,
      ]);
    }
  }
  sqlite.exec('COMMIT');
} catch (error) {
  post({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  sqlite?.close();
  port.close();
}
