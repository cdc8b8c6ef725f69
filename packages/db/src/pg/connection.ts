import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  Worker,
  receiveMessageOnPort,
} from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { WRITER_LOCK, toPostgres } from './dialect.js';
import type { Answer, Request } from './worker.js';

/** The connection's thread (the built file; from the TypeScript sources, dist's). */
const workerFile = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/pg/worker.js' : './worker.js',
    import.meta.url,
  ),
);

/** How long one statement may take before the connection is taken for dead. */
const STATEMENT_MS = 30 * 60_000;
/** How long an answer may take to arrive once the thread has said it is sent. */
const ARRIVAL_MS = 10_000;
/** How long to spin for an answer before sleeping on it. */
const SPIN_MS = 0.3;
/** How many statements' PostgreSQL text is kept (dynamic SQL beyond that starts it again). */
const TRANSLATED = 4096;

/** A PostgreSQL error, with its SQLSTATE code (23505: unique violation, …). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
    /** The statement, when it was one sent later than it was made (a held-back insert). */
    readonly sql?: string,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

type Mode = 'plain' | 'pluck' | 'raw';

/**
 * A PostgreSQL connection with the part of better-sqlite3's `Database` that Strata's storage
 * code uses — `prepare` (run/get/all/iterate, pluck/raw), `exec`, `transaction` (savepoints
 * when nested), `inTransaction`, `close` — answered synchronously by a connection on a worker
 * thread. SQL is written once, for SQLite, and rewritten by `toPostgres` (placeholders and the
 * few SQLite-only forms). drizzle's better-sqlite3 driver runs on it unchanged.
 */
export class PostgresConnection {
  readonly name: string;
  readonly memory = false;
  readonly readonly = false;
  open = true;
  inTransaction = false;
  private depth = 0;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** The id of the last request the thread answered. */
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly pause = new Int32Array(new SharedArrayBuffer(4));
  private sequence = 0;

  /** The schema's index orders, for `INDEXED BY` (set by openPostgres). */
  indexes: ReadonlyMap<string, string> = new Map();

  constructor(url: string) {
    this.name = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerFile, {
      workerData: { url, port: port2, flag: this.flag },
      transferList: [port2],
    });
    this.worker.unref();
    this.worker.on('error', () => undefined); // seen by the next call (no answer)
  }

  /** Inserts waiting to be sent (see `queue`), and how many were ever queued. */
  private pending: { text: string; params: unknown[] }[] = [];
  private queued = 0;

  /**
   * Holds back a one-row `INSERT … VALUES (…)` made inside a transaction, to send it with the
   * ones after it as multi-row inserts in one round trip (a refresh stores rows one statement
   * at a time; one trip each made PostgreSQL ten times slower than SQLite). Anything else sent
   * on the connection sends them first, so reads see them and a failure surfaces no later than
   * the COMMIT, which then rolls the transaction back. Returns the insert's number.
   */
  queue(text: string, params: unknown[]): number {
    this.pending.push({ text, params });
    if (this.pending.length >= 10_000) this.flush();
    return ++this.queued;
  }

  /** Is `ticket` the last insert made (so the noted id is its)? */
  isLast(ticket: number): boolean {
    return ticket === this.queued;
  }

  /** Sends the held-back inserts, consecutive ones of the same statement merged. */
  flush(): void {
    if (this.pending.length === 0) return;
    const items = mergeInserts(this.pending);
    this.pending = [];
    this.call({ op: 'batch', items });
  }

  /** Sends one request and blocks until the connection's thread answers it. */
  call(request: Request): Answer & { ok: true } {
    if (!this.open) throw new TypeError('The database connection is not open');
    if (request.op !== 'batch') this.flush();
    const id = (this.sequence = this.sequence === 0x7fffffff ? 1 : this.sequence + 1);
    this.port.postMessage({ ...request, id });
    // the thread writes the id of the request it answered into `flag`, then wakes us
    const deadline = performance.now() + STATEMENT_MS;
    // Spin a moment first: most answers come within a fraction of a millisecond, and being
    // woken from Atomics.wait costs about as much again (SELECT 1: 270 µs a call without the
    // spin, 120 µs with it; an awaited pg.Client takes 98 µs — the storage benchmark).
    const spinUntil = performance.now() + SPIN_MS;
    for (let k = 1; Atomics.load(this.flag, 0) !== id; k++)
      if ((k & 255) === 0 && performance.now() > spinUntil) break;
    for (let seen = Atomics.load(this.flag, 0); seen !== id; seen = Atomics.load(this.flag, 0)) {
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`PostgreSQL did not answer within ${STATEMENT_MS / 60_000} minutes.`);
      Atomics.wait(this.flag, 0, seen, left);
    }
    // A message posted from another thread can take a moment to arrive after the flag is set:
    // wait for it (an answer to an earlier request given up on is passed over).
    const arrival = performance.now() + ARRIVAL_MS;
    for (;;) {
      const message = receiveMessageOnPort(this.port)?.message as
        (Answer & { id: number }) | undefined;
      if (message?.id === id) {
        if (!message.ok)
          throw new PostgresError(message.message, message.code, message.detail, message.sql);
        return message;
      }
      if (message !== undefined) continue;
      if (performance.now() > arrival) throw new Error('The PostgreSQL connection thread stopped.');
      Atomics.wait(this.pause, 0, 0, 1);
    }
  }

  prepare(source: string): PostgresStatement {
    return new PostgresStatement(this, source, 'plain', this.translate(source));
  }

  /** SQLite SQL as PostgreSQL's, rewritten once per text (requests prepare the same ones). */
  private readonly translated = new Map<string, string>();
  private translate(source: string): string {
    let text = this.translated.get(source);
    if (text === undefined) {
      text = toPostgres(source, this.indexes).text;
      if (this.translated.size >= TRANSLATED) this.translated.clear();
      this.translated.set(source, text);
    }
    return text;
  }

  exec(source: string): this {
    const sql = this.translate(source);
    this.call({ op: 'exec', sql });
    this.track(source);
    return this;
  }

  /** Follows BEGIN/COMMIT/ROLLBACK given as SQL (the import's own transaction does that). */
  track(source: string): void {
    const word = /^\s*(\w+)/.exec(source)?.[1]?.toUpperCase();
    if (word === 'BEGIN') {
      this.inTransaction = true;
      this.writing = /^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\b/i.test(source); // took the lock
    } else if (
      word === 'COMMIT' ||
      word === 'END' ||
      (word === 'ROLLBACK' && !/\bTO\b/i.test(source))
    ) {
      this.inTransaction = false;
      this.writing = false;
    }
  }

  /** Does the transaction hold the writers' lock? */
  private writing = false;

  /**
   * Before a transaction's first write: the writers' lock, as SQLite's deferred transaction
   * takes its write lock at the first write — so writers go one at a time (a second waits 5 s,
   * then fails with 55P03, which `isBusy` knows), while readers never wait.
   */
  lockForWrite(): void {
    if (!this.inTransaction || this.writing) return;
    this.call({ op: 'exec', sql: WRITER_LOCK });
    this.writing = true;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): F {
    const run = (...args: Parameters<F>): ReturnType<F> => {
      const outer = this.depth === 0 && !this.inTransaction;
      const savepoint = `strata_${this.depth}`;
      this.call({ op: 'exec', sql: outer ? 'BEGIN' : `SAVEPOINT ${savepoint}` });
      if (outer) {
        this.inTransaction = true;
        this.writing = false;
      }
      this.depth++;
      try {
        const result = fn(...args) as ReturnType<F>;
        // sends the held-back inserts first: one failing fails the commit, rolled back below
        this.call({ op: 'exec', sql: outer ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}` });
        return result;
      } catch (error) {
        this.pending = []; // this scope's held-back inserts: undone with it
        try {
          this.call({
            op: 'exec',
            sql: outer
              ? 'ROLLBACK'
              : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`,
          });
        } catch {
          // the connection itself failed: the first error says more
        }
        throw error;
      } finally {
        this.depth--;
        if (outer) {
          this.inTransaction = false;
          this.writing = false;
        }
      }
    };
    return Object.assign(run, { deferred: run, immediate: run, exclusive: run }) as unknown as F;
  }

  /** Only what Strata asks SQLite for; PostgreSQL has no pragmas. */
  pragma(source: string, options?: { simple?: boolean }): unknown {
    const name = /^\s*(\w+)/.exec(source)?.[1]?.toLowerCase();
    const table = /^\s*table_info\(\s*"?(\w+)"?\s*\)\s*$/i.exec(source)?.[1];
    if (table !== undefined)
      // SQLite's answer (cid, name, type, notnull, dflt_value) from information_schema
      return this.prepare(
        `SELECT ordinal_position - 1 AS cid, column_name AS name,
           CASE data_type WHEN 'bigint' THEN 'INTEGER' WHEN 'double precision' THEN 'REAL'
             WHEN 'bytea' THEN 'BLOB' WHEN 'numeric' THEN 'NUMERIC' ELSE 'TEXT' END AS type,
           CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END AS notnull, column_default AS dflt_value
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
      ).all(table);
    if (name === 'foreign_keys' && !source.includes('='))
      return options?.simple ? 1 : [{ foreign_keys: 1 }];
    if (/=/.test(source)) return [];
    throw new Error(`PRAGMA ${name} has no meaning on PostgreSQL.`);
  }

  close(): this {
    if (!this.open) return this;
    try {
      this.call({ op: 'close' });
    } finally {
      this.open = false;
      this.port.close();
      void this.worker.terminate();
    }
    return this;
  }

  /** The connection as the better-sqlite3 handle the storage code is typed against. */
  asDatabase(): Database.Database {
    return this as unknown as Database.Database;
  }
}

/** A statement: SQLite SQL rewritten once, sent with its parameters on each call. */
export class PostgresStatement {
  readonly reader: boolean;
  readonly busy = false;
  private readonly insert: boolean;

  constructor(
    private readonly connection: PostgresConnection,
    readonly source: string,
    private readonly mode: Mode,
    /** The statement as PostgreSQL's (`toPostgres`). */
    private readonly text: string,
  ) {
    const word = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(\w+)/i.exec(source)?.[1]?.toUpperCase() ?? '';
    this.reader = word === 'SELECT' || word === 'VALUES' || /\bRETURNING\b/i.test(source);
    this.insert = /^\s*INSERT\b/i.test(source);
    this.writes = /^\s*(INSERT|UPDATE|DELETE)\b/i.test(source);
    this.mergeable = this.insert && SINGLE_ROW.test(this.text);
  }

  pluck(on = true): PostgresStatement {
    return new PostgresStatement(this.connection, this.source, on ? 'pluck' : 'plain', this.text);
  }

  raw(on = true): PostgresStatement {
    return new PostgresStatement(this.connection, this.source, on ? 'raw' : 'plain', this.text);
  }

  expand(): PostgresStatement {
    throw new Error('expand() is not supported on PostgreSQL.');
  }

  private readonly mergeable: boolean;
  private readonly writes: boolean;

  private query(params: unknown[]): Answer & { ok: true } {
    const answer = this.connection.call({
      op: 'query',
      sql: this.text,
      params: bindable(params),
    });
    this.connection.track(this.source);
    return answer;
  }

  private shape(answer: Answer & { ok: true }): unknown[] {
    if (this.mode === 'raw') return answer.rows as unknown[];
    if (this.mode === 'pluck') return answer.rows.map((r) => r[0]);
    const { fields } = answer;
    return answer.rows.map((r) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) row[fields[i] as string] = r[i];
      return row;
    });
  }

  run(...params: unknown[]): Database.RunResult {
    const connection = this.connection;
    // a write outside a transaction is one of its own, so it too waits for the writers' lock
    if (this.writes && !connection.inTransaction)
      return connection.transaction(() => this.run(...params))();
    if (this.writes) connection.lockForWrite();
    if (this.mergeable && connection.inTransaction) {
      const ticket = connection.queue(this.text, bindable(params));
      let id: number | undefined;
      return {
        changes: 1, // one row, or the error at the next round trip
        get lastInsertRowid() {
          if (id === undefined) {
            if (!connection.isLast(ticket))
              throw new Error('On PostgreSQL, read lastInsertRowid before the next insert.');
            id = connection.call({ op: 'lastval' }).lastInsertRowid;
          }
          return id;
        },
      };
    }
    const answer = this.query(params);
    if (!this.insert) return { changes: answer.changes, lastInsertRowid: 0 };
    // asked for only when read (straight after the insert, as Strata's code does): most
    // inserts never read it, and asking costs a round trip
    let id: number | undefined;
    return {
      changes: answer.changes,
      get lastInsertRowid() {
        id ??= connection.call({ op: 'lastval' }).lastInsertRowid;
        return id;
      },
    };
  }

  get(...params: unknown[]): unknown {
    return this.shape(this.query(params))[0];
  }

  all(...params: unknown[]): unknown[] {
    return this.shape(this.query(params));
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }
}

/** better-sqlite3's binding: arrays spread, booleans refused there and 1/0 here, bigints kept. */
function bindable(params: unknown[]): unknown[] {
  const flat = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  return flat.map((v) =>
    typeof v === 'boolean'
      ? Number(v)
      : typeof v === 'bigint'
        ? v.toString()
        : v instanceof Uint8Array && !Buffer.isBuffer(v)
          ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
          : v,
  );
}

/** `INSERT … VALUES (…)` of one row and nothing after it (no ON CONFLICT, no RETURNING). */
const SINGLE_ROW = /^\s*INSERT\s+INTO\s[^;]*?\bVALUES\s*(\([^()]*\))\s*$/i;
/** PostgreSQL's limit is 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;
const MAX_ROWS = 1000;

/** Consecutive one-row inserts of the same statement as multi-row inserts. */
export function mergeInserts(
  items: readonly { text: string; params: unknown[] }[],
): { text: string; params: unknown[] }[] {
  const out: { text: string; params: unknown[] }[] = [];
  let i = 0;
  while (i < items.length) {
    const item = items[i] as { text: string; params: unknown[] };
    const { text, params } = item;
    const m = SINGLE_ROW.exec(text);
    const width = Math.max(1, params.length);
    const most = Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / width));
    let j = i + 1;
    while (m && j < items.length && j - i < most && items[j]?.text === text) j++;
    if (!m || j - i === 1) {
      out.push(item);
    } else {
      const tuple = m[1] as string;
      const head = text.slice(0, m.index + m[0].lastIndexOf(tuple));
      const tuples: string[] = [];
      const all: unknown[] = [];
      for (let k = i; k < j; k++) {
        const shift = (k - i) * params.length;
        tuples.push(tuple.replace(/\$(\d+)/g, (_, d: string) => `$${Number(d) + shift}`));
        all.push(...(items[k] as { params: unknown[] }).params);
      }
      out.push({ text: head + tuples.join(', '), params: all });
    }
    i = j;
  }
  return out;
}
