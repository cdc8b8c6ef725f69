// Reads and checks an import's file on its own thread (see `workerEvents` in run.ts): posts the
// parse events, counts them in shared memory, and waits when it is too far ahead of the writer.
import { workerData, type MessagePort } from 'node:worker_threads';
import { ImportError, parseFile, type ParseSetup } from './parse.js';
import { EncodingError } from './text.js';

const { setup, port, counters } = workerData as {
  setup: ParseSetup;
  port: MessagePort;
  counters: Int32Array;
};
const AHEAD = 4;

function post(message: unknown): void {
  port.postMessage(message);
  Atomics.add(counters, 0, 1);
  Atomics.notify(counters, 0);
  // wait while the writer has more than AHEAD messages to take
  for (;;) {
    const consumed = Atomics.load(counters, 1);
    if (Atomics.load(counters, 0) - consumed <= AHEAD) break;
    Atomics.wait(counters, 1, consumed, 1000);
  }
}

try {
  for (const event of parseFile(setup)) post(event);
  post({ type: 'end' });
} catch (error) {
  post({
    type: 'fatal',
    error:
      error instanceof ImportError
        ? 'import'
        : error instanceof EncodingError
          ? 'encoding'
          : 'other',
    message: (error as Error).message,
  });
} finally {
  Atomics.store(counters, 2, 1);
  Atomics.notify(counters, 0);
  port.close();
}
