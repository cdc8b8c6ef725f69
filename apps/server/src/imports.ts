import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { callerOf, importJobs, type Context, type LiveImport } from '@strata/api';
import {
  DATE_FORMATS,
  ENCODINGS,
  IMPORT_KINDS,
  getImportReport,
  getImportRun,
  type ImportRequest,
  type StrataDb,
} from '@strata/db';
import { z } from 'zod';
import { startImport } from './import-runner.js';

/** Who may import: the head office. */
const IMPORTERS = new Set(['admin', 'strategist']);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/** The options of an upload, from its query string. */
const uploadQuery = z.object({
  kind: z.enum(IMPORT_KINDS),
  name: z.string().trim().min(1).max(200).default('upload'),
  source: z.string().trim().min(1).max(64).optional(),
  saveMapping: z.enum(['0', '1', 'true', 'false']).optional(),
  onError: z.enum(['reject', 'skip']).default('reject'),
  format: z.enum(['csv', 'json']).optional(),
  encoding: z.enum(ENCODINGS).optional(),
  delimiter: z.string().length(1).optional(),
  quote: z.string().length(1).optional(),
  mapping: z
    .string()
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'mapping must be a JSON object of field → column',
        });
        return z.NEVER;
      }
    })
    .optional(),
  dateFormats: z
    .string()
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.enum(DATE_FORMATS)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `dateFormats must map fields to one of ${DATE_FORMATS.join(', ')}`,
        });
        return z.NEVER;
      }
    })
    .optional(),
});

/** Where uploads and error files are kept: beside the database. */
export function importsDir(db: Pick<StrataDb, 'path' | 'dialect'>): string {
  return db.path === ':memory:' || db.dialect === 'postgres'
    ? join(process.cwd(), 'data', 'imports')
    : join(dirname(db.path), 'imports');
}

/**
 * The HTTP side of imports:
 * - `POST /api/imports?kind=…` with the file as the body → 202 `{ runId }`; the import runs in a
 *   worker thread on its own connection;
 * - `GET /api/imports/:id/events` → Server-Sent Events: `progress` while it runs, then `done`
 *   with the data-quality report;
 * - `GET /api/imports/:id/errors.csv` → the row-level error file (personal data masked).
 * Head office only (admin, strategist); a session cookie must come with its CSRF header to post.
 */
export async function handleImports(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: { db: StrataDb; ctx: Context; maxImportBytes: number; now: () => Date },
): Promise<void> {
  const caller = callerOf(options.ctx);
  if (!caller) return json(res, 401, { error: 'Sign in first.' });
  if (!IMPORTERS.has(caller.scope.role))
    return json(res, 403, {
      error: `Imports need the role admin or strategist; you are ${caller.scope.role}.`,
    });
  const dir = importsDir(options.db);
  const m = /^\/api\/imports\/(\d+)\/(events|errors\.csv)$/.exec(url.pathname);
  if (req.method === 'GET' && m) {
    const runId = Number(m[1]);
    const run = getImportRun(options.db, runId);
    if (!run) return json(res, 404, { error: `No import ${runId}.` });
    if (m[2] === 'errors.csv') return sendErrorFile(res, join(dir, `${runId}-errors.csv`), runId);
    return streamEvents(req, res, runId, options.db);
  }
  if (req.method !== 'POST' || url.pathname !== '/api/imports')
    return json(res, 404, { error: 'not found' });
  if (options.ctx.session && options.ctx.http.csrfHeader !== options.ctx.session.csrf)
    return json(res, 403, {
      error: 'Missing or wrong x-strata-csrf header for a signed-in request.',
    });
  const query = uploadQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success)
    return json(res, 400, {
      error: 'Bad import options.',
      issues: query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > options.maxImportBytes)
    return json(res, 413, { error: `The file is larger than ${options.maxImportBytes} bytes.` });
  // the slot is taken before the upload is read, so two uploads cannot both pass
  if (!importJobs.claim())
    return json(res, 409, {
      error: `${importJobs.running ? `Import ${importJobs.running}` : 'Another import'} is running; one import at a time.`,
    });

  mkdirSync(dir, { recursive: true });
  const upload = join(dir, `${randomUUID()}.upload`);
  const saved = await saveBody(req, upload, options.maxImportBytes);
  if (saved !== 'ok') {
    importJobs.release();
    rmSync(upload, { force: true });
    return json(res, saved === 'too-large' ? 413 : 400, {
      error:
        saved === 'too-large'
          ? `The file is larger than ${options.maxImportBytes} bytes.`
          : 'The upload was cut off.',
    });
  }
  const q = query.data;
  const request: Omit<ImportRequest, 'onProgress' | 'onStart' | 'now' | 'errorFile'> = {
    kind: q.kind,
    input: { path: upload, name: q.name },
    ...(q.source !== undefined && { source: q.source }),
    saveMapping: q.saveMapping === '1' || q.saveMapping === 'true',
    onError: q.onError,
    ...(q.format !== undefined && { format: q.format }),
    ...(q.encoding !== undefined && { encoding: q.encoding }),
    ...(q.delimiter !== undefined && { delimiter: q.delimiter }),
    ...(q.quote !== undefined && { quote: q.quote }),
    ...(q.mapping !== undefined && { mapping: q.mapping }),
    ...(q.dateFormats !== undefined && { dateFormats: q.dateFormats }),
    actor: caller.actor,
    origin: options.ctx.http.ip ?? null,
  };
  let runId: number;
  try {
    runId = await startImport(options.db, dir, upload, q.name, request, caller, options.now());
  } catch (error) {
    importJobs.release();
    throw error;
  }
  json(res, 202, { runId, events: `/api/imports/${runId}/events` });
}

/** Streams a request body to a file, stopping at `max` bytes. */
function saveBody(
  req: IncomingMessage,
  path: string,
  max: number,
): Promise<'ok' | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const out = createWriteStream(path);
    let size = 0;
    let settled = false;
    const settle = (v: 'ok' | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      if (v !== 'ok') {
        req.unpipe(out);
        out.destroy();
        req.resume();
      }
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) settle('too-large');
    });
    req.on('aborted', () => settle('aborted'));
    out.on('finish', () => settle('ok'));
    out.on('error', () => settle('aborted'));
    req.pipe(out);
  });
}

function sendErrorFile(res: ServerResponse, path: string, runId: number): void {
  if (!existsSync(path)) return json(res, 404, { error: `Import ${runId} has no error file.` });
  const stream = createReadStream(path);
  stream.on('error', () => {
    if (!res.headersSent)
      json(res, 500, { error: `The error file of import ${runId} could not be read.` });
    else res.destroy();
  });
  stream.on('open', () => {
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="import-${runId}-errors.csv"`,
      'cache-control': 'no-store',
    });
    stream.pipe(res);
  });
}

/** Server-Sent Events of one import: `progress` events, then `done` with the report. */
function streamEvents(
  req: IncomingMessage,
  res: ServerResponse,
  runId: number,
  db: StrataDb,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const live = importJobs.get(runId);
  if (!live || live.status !== 'running') {
    const run = getImportRun(db, runId);
    send(
      'done',
      live?.report ??
        getImportReport(db, runId) ?? { runId, status: run?.status, error: run?.error ?? null },
    );
    res.end();
    return;
  }
  if (live.progress) send('progress', live.progress);
  const onProgress = (job: LiveImport) => {
    if (job.runId === runId) send('progress', job.progress);
  };
  const onDone = (job: LiveImport) => {
    if (job.runId !== runId) return;
    send('done', job.report);
    cleanup();
    res.end();
  };
  const cleanup = () => {
    importJobs.off('progress', onProgress);
    importJobs.off('done', onDone);
  };
  importJobs.on('progress', onProgress);
  importJobs.on('done', onDone);
  req.on('close', cleanup);
}
