import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { ImportError, type ParseEvent, type ParseSetup } from './parse.js';
import { EncodingError } from './text.js';

/** How long the writer waits for the reading thread before giving up on it. */
const STALL_MS = 120_000;

/**
 * The reading thread's heap. Young generation: the reader makes short-lived strings and arrays by
 * the million; with 128 MB (V8's default is far smaller) it collects less often and promotes
 * less — 1M customers: 8.2 → 6.8 s for the whole import (three interleaved rounds). Old
 * generation: the reader keeps little for long (one chunk's records, the batch being filled: a
 * record is at most MAX_RECORD_LENGTH characters, a value its field's limit), and a bound makes
 * V8 collect it sooner — without one the peak grew with the file (1M 565 MB, 2M 650–690 MB);
 * with 512 MB, 560 and 574 MB. A reader that still ran out would be stopped, not the process
 * (and the import failed once it has sent nothing for STALL_MS).
 */
const READER_HEAP = { maxYoungGenerationSizeMb: 128, maxOldGenerationSizeMb: 512 };

/** The worker that reads and checks (the built file; from the TypeScript sources, dist's). */
export const parseWorkerFile = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/import/parse-worker.js' : './parse-worker.js',
    import.meta.url,
  ),
);

/**
 * The parse events of a file read on a worker thread, received synchronously: the writer blocks
 * (Atomics.wait) until the next batch is there; the worker waits when it is four batches in
 * front (AHEAD in parse-worker.ts), so memory stays bounded.
 */
export function* workerEvents(setup: ParseSetup): Generator<ParseEvent, void, void> {
  const { port1, port2 } = new MessageChannel();
  const counters = new Int32Array(new SharedArrayBuffer(12)); // produced, consumed, finished
  const worker = new Worker(parseWorkerFile, {
    workerData: { setup, port: port2, counters },
    transferList: [port2],
    resourceLimits: READER_HEAP,
  });
  worker.unref();
  let received = 0;
  let heard = performance.now();
  try {
    for (;;) {
      const message = receiveMessageOnPort(port1)?.message as
        | ParseEvent
        | { type: 'fatal'; error: 'import' | 'encoding' | 'other'; message: string }
        | { type: 'end' }
        | undefined;
      if (message === undefined) {
        const produced = Atomics.load(counters, 0);
        if (produced > received) continue; // posted, not yet delivered
        if (Atomics.load(counters, 2) === 1 && produced === received)
          throw new Error('The reading thread stopped without finishing.');
        // A thread killed outright (out of memory) never says so, and this one cannot hear the
        // event while it waits: a reader that sends nothing for STALL_MS is taken for dead.
        if (performance.now() - heard > STALL_MS)
          throw new Error(`The reading thread sent nothing for ${STALL_MS / 1000} s; stopped.`);
        Atomics.wait(counters, 0, produced, 1000);
        continue;
      }
      received++;
      heard = performance.now();
      Atomics.add(counters, 1, 1);
      Atomics.notify(counters, 1);
      if (message.type === 'end') return;
      if (message.type === 'fatal') {
        if (message.error === 'import') throw new ImportError(message.message);
        if (message.error === 'encoding') throw new EncodingError(message.message);
        throw new Error(message.message);
      }
      yield message;
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
}
