// Runs one import on its own database connection, off the server's event loop: the server keeps
// answering while a large file is read, checked and written in one transaction.
import { parentPort, workerData } from 'node:worker_threads';
import { importFile, openDatabase, type ImportRequest } from '@strata/db';

const { dbPath, request } = workerData as {
  dbPath: string;
  request: Omit<ImportRequest, 'onProgress' | 'onStart' | 'now'> & { now: string };
};
const db = openDatabase(dbPath, { migrate: false });
try {
  const report = importFile(db, {
    ...request,
    now: new Date(request.now),
    onStart: (runId) => parentPort?.postMessage({ type: 'start', runId }),
    onProgress: (progress) => parentPort?.postMessage({ type: 'progress', progress }),
  });
  parentPort?.postMessage({ type: 'done', report });
} catch (error) {
  parentPort?.postMessage({ type: 'error', message: (error as Error).message });
} finally {
  db.close();
}
