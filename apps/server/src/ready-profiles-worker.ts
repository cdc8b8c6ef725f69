// Makes the ready profiles of a run on its own database connection, off the server's event loop
// (it starts worker threads of its own for the customers' blocks): the server keeps answering,
// explaining profiles live until the new set is complete.
import { parentPort, workerData } from 'node:worker_threads';
import { makeReadyProfiles, openDatabase } from '@strata/db';

const { dbPath, runId } = workerData as { dbPath: string; runId: number };
const db = openDatabase(dbPath, { migrate: false });
try {
  parentPort?.postMessage({ ok: true, result: makeReadyProfiles(db, { runId }) });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
} finally {
  db.close();
}
