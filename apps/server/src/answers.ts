import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf, type Context } from '@strata/api';
import type { StrataDb } from '@strata/db';

/** Limits of the remembered answers. */
export interface AnswerCacheOptions {
  /** Answers kept at most (least recently used go first). @default 256 */
  readonly entries?: number;
  /** Bytes kept at most, all answers together. @default 64 MiB */
  readonly bytes?: number;
  /** An answer bigger than this is not kept. @default 4 MiB */
  readonly entryBytes?: number;
}

interface Entry {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Remembered answers of the read-only procedures marked `remember` (the strategy map, the
 * lifecycle funnel): the bytes tRPC sent, served again to the same caller for the same URL
 * until anything is written to the database or the day changes.
 *
 * Under load such a procedure costs what building and serialising its answer costs — for the
 * map of a 1M-customer bank with its segments, 27 KB of JSON, two thirds of its time — though
 * the answer changes only when the data, the strategies, the lists or the day do. The caller is
 * authenticated and rate-limited on every request as before (a revoked token or an expired
 * session is refused as before); only the procedure and the serialising are skipped. An answer
 * is kept per caller scope (role, branch, RM, unmasking permission; for a widget, its embed
 * token and page origin: such procedures answer by scope, not by name), per URL (procedure and
 * input), and only if nothing was written while it was made. A request with `Cache-Control:
 * no-cache` (or `no-store`) is answered as if nothing were remembered: made afresh, not kept.
 * An answer served from memory says `x-strata-answer: remembered`.
 *
 * "Anything written" is, on SQLite, its own count: `total_changes()` of the server's connection
 * (every insert, update and delete it made, committed or not) and `PRAGMA data_version` (a
 * commit by any other connection: an import's worker, the CLI). On PostgreSQL it is the
 * current snapshot (`pg_current_snapshot()`: the next transaction id and those in progress),
 * which moves when any transaction that writes starts or ends, on any connection — one round
 * trip per request. It is the server's, not only this database's, so on a server shared with
 * busy databases the answers are forgotten often (never wrongly kept). Not the write-ahead
 * log's position: that also moves on its own (checkpoints, the background writer's snapshots),
 * forgetting answers for nothing.
 */
export function createAnswerCache(
  db: StrataDb,
  remembered: ReadonlySet<string>,
  options: AnswerCacheOptions = {},
) {
  const maxEntries = options.entries ?? 256;
  const maxBytes = options.bytes ?? 64 * 1024 * 1024;
  const maxEntryBytes = options.entryBytes ?? 4 * 1024 * 1024;
  const kept = new Map<string, Entry>();
  let keptBytes = 0;
  let keptStamp = '';
  const stampOf = writeStamp(db);
  const stamp = (day: string): string => `${(stampOf as () => string)()}.${day}`;

  /** The answer's key: the URL, and the response format asked for (tRPC's streaming batches). */
  const keyOf = (req: IncomingMessage, url: URL, identity: string): string =>
    `${url.pathname}${url.search}\u0000${String(req.headers['trpc-accept'] ?? '')}\u0000${identity}`;

  /** Who the answer was made for: everything of the caller that can change it. */
  const identityOf = (ctx: Context): string | null => {
    if (ctx.embedError) return null;
    if (ctx.embed) return `embed\u0000${ctx.http.bearer ?? ''}\u0000${ctx.http.origin ?? ''}`;
    const caller = callerOf(ctx);
    if (!caller) return null;
    const { role, orgUnitId, rmId } = caller.scope;
    return `${role}\u0000${orgUnitId ?? ''}\u0000${rmId ?? ''}\u0000${caller.canUnmask}`;
  };

  const forget = (key: string): void => {
    const entry = kept.get(key);
    if (!entry) return;
    kept.delete(key);
    keptBytes -= entry.body.length;
  };

  const keep = (key: string, entry: Entry): void => {
    forget(key);
    kept.set(key, entry);
    keptBytes += entry.body.length;
    for (const [oldest] of kept) {
      if (kept.size <= maxEntries && keptBytes <= maxBytes) break;
      forget(oldest);
    }
  };

  /** Forgets every answer kept if the database or the day moved on since; true if it did. */
  const renew = (now: string): boolean => {
    if (now === keptStamp) return false;
    kept.clear();
    keptBytes = 0;
    keptStamp = now;
    return true;
  };

  return {
    /** True if `req` calls a remembered procedure (so may be answered from memory). */
    applies(req: IncomingMessage, url: URL): boolean {
      if (!stampOf || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      // a client asking for a fresh answer gets one made, as if nothing were remembered
      if (/no-cache|no-store/.test(req.headers['cache-control'] ?? '')) return false;
      // one procedure, or a batch (the dashboard's link) of remembered procedures only
      return url.pathname
        .slice('/trpc/'.length)
        .split(',')
        .every((p) => remembered.has(p));
    },

    /**
     * For a request `applies` accepted: answers it from memory when it can and returns true;
     * otherwise returns false having done nothing. `ctx` is the request's context, already
     * built (the caller authenticated).
     */
    serve(req: IncomingMessage, res: ServerResponse, url: URL, ctx: Context): boolean {
      const identity = identityOf(ctx);
      if (identity === null) return false;
      if (renew(stamp(ctx.now().toISOString().slice(0, 10)))) return false;
      const key = keyOf(req, url, identity);
      const entry = kept.get(key);
      if (!entry) return false;
      // most recently used last
      kept.delete(key);
      kept.set(key, entry);
      res.statusCode = 200;
      res.setHeader('content-type', entry.contentType);
      res.setHeader('content-length', entry.body.length);
      res.setHeader('x-strata-answer', 'remembered');
      res.end(req.method === 'HEAD' ? undefined : entry.body);
      return true;
    },

    /**
     * For a request `applies` accepted, before tRPC answers it: keeps the answer if it may be
     * served again — a 200 made for a known caller, no cookie set, and nothing written to the
     * database while it was made.
     */
    record(req: IncomingMessage, res: ServerResponse, url: URL, ctx: Context): void {
      const identity = req.method === 'HEAD' ? null : identityOf(ctx);
      if (identity === null) return;
      const day = ctx.now().toISOString().slice(0, 10);
      const before = stamp(day);
      const chunks: Buffer[] = [];
      let size = 0;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const collect = (chunk: unknown, encoding: unknown): void => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
        const buffer =
          typeof chunk === 'string'
            ? Buffer.from(
                chunk,
                typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
              )
            : Buffer.from(chunk as Uint8Array);
        size += buffer.length;
        if (size <= maxEntryBytes) chunks.push(buffer);
      };
      res.write = ((...args: unknown[]) => {
        collect(args[0], args[1]);
        return write(...args);
      }) as typeof res.write;
      res.end = ((...args: unknown[]) => {
        collect(args[0], args[1]);
        const contentType = res.getHeader('content-type');
        if (
          res.statusCode === 200 &&
          size <= maxEntryBytes &&
          typeof contentType === 'string' &&
          contentType.startsWith('application/json') &&
          res.getHeader('set-cookie') === undefined &&
          stamp(day) === before
        ) {
          renew(before);
          keep(keyOf(req, url, identity), {
            body: Buffer.concat(chunks),
            contentType,
          });
        }
        return end(...args);
      }) as typeof res.end;
    },
  };
}

/** Something that changes whenever anything is written to the database; null if there is none. */
function writeStamp(db: StrataDb): (() => string) | null {
  if (db.dialect === 'sqlite') {
    const read = db.sqlite
      .prepare('SELECT total_changes(), (SELECT data_version FROM pragma_data_version)')
      .raw();
    return () => (read.get() as [number, number]).join('.');
  }
  const read = db.sqlite.prepare('SELECT pg_current_snapshot()::text').pluck();
  try {
    read.get();
  } catch {
    return null; // before PostgreSQL 13 (no pg_current_snapshot): nothing is kept
  }
  return () => String(read.get());
}
