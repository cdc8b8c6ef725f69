/**
 * Tags blocks of customers for an insight refresh on a thread of its own (see
 * insight-parallel.ts): reads each block it was given from its own read-only connection, in one
 * read transaction (one snapshot), tags it (`insightChunk`) and posts it back, its arrays
 * transferred, then counts it on `flag` and wakes the refreshing thread.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  insightChunk,
  packInsightChunk,
  type InsightChunk,
  type InsightConfig,
  type Period,
} from '@strata/core';
import { readBlock } from './metric-blocks.js';

/** What the refreshing thread gives a worker. */
export interface InsightWorkerData {
  readonly file: string;
  readonly version: number;
  readonly asOf: Period;
  readonly config: InsightConfig;
  /** The first customer id of each block to tag, in the order to post them. */
  readonly firstIds: readonly number[];
  readonly port: MessagePort;
  /** [0]: messages posted so far. */
  readonly flag: Int32Array;
}

/** One message: a tagged block, or why the worker stopped. */
export type InsightWorkerMessage =
  | { readonly ok: true; readonly chunk: InsightChunk }
  | { readonly ok: false; readonly message: string };

const { file, version, asOf, config, firstIds, port, flag } = workerData as InsightWorkerData;

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
    const [chunk, transfer] = packInsightChunk(
      insightChunk(readBlock(sqlite, version, firstId, asOf), config),
    );
    post({ ok: true, chunk }, transfer);
  }
  sqlite.exec('COMMIT');
} catch (error) {
  post({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  sqlite?.close();
  port.close();
}
