/**
 * One PostgreSQL connection answering the main thread's synchronous calls (see connection.ts):
 * the main thread posts a request and blocks on `flag` (Atomics.wait); this thread runs it,
 * posts the answer and wakes it. Strata's storage code is synchronous (it was written for
 * better-sqlite3), so on PostgreSQL it keeps the same model: one connection, one statement at a
 * time, transactions exactly where SQLite had them.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';

export type Request =
  | { readonly op: 'query'; readonly sql: string; readonly params: readonly unknown[] }
  | { readonly op: 'lastval' }
  | { readonly op: 'batch'; readonly items: readonly { text: string; params: unknown[] }[] }
  | { readonly op: 'exec'; readonly sql: string }
  | { readonly op: 'close' };

export type Answer =
  | {
      readonly ok: true;
      readonly fields: readonly string[];
      readonly rows: readonly unknown[][];
      readonly changes: number;
      readonly lastInsertRowid: number;
    }
  | {
      readonly ok: false;
      readonly message: string;
      readonly code: string | undefined;
      readonly detail: string | undefined;
      readonly sql?: string | undefined;
    };

const { url, port, flag } = workerData as { url: string; port: MessagePort; flag: Int32Array };

/**
 * Values read the way better-sqlite3 gives them: 64-bit integers and numerics as numbers,
 * booleans (from comparisons) as 1/0. Strata's columns are integer, double, text and bytea.
 */
const parsers: Record<number, (text: string) => unknown> = {
  20: Number, // int8 (count(*), bigint columns)
  1700: Number, // numeric (sum of bigints)
  16: (text) => (text === 't' ? 1 : 0), // bool
};
const client = new pg.Client({
  connectionString: url,
  types: {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  },
});

// a connection the server drops (shut down, restarted) fails the next request, not the process
client.on('error', () => undefined);

const ready = (async () => {
  await client.connect();
  // a writer waits for another at most 5 s, then fails (55P03), as SQLite's busy_timeout
  await client.query("SET TIME ZONE 'UTC'; SET lock_timeout = '5s'");
})();
ready.catch(() => undefined);

/**
 * A statement seen twice is prepared under a name (PostgreSQL then parses and plans it once
 * per connection); at most STATEMENTS of them — past that, statements go unnamed.
 */
const STATEMENTS = 2000;
const seen = new Set<string>();
const names = new Map<string, string>();
function named(sql: string): string | undefined {
  const name = names.get(sql);
  if (name !== undefined || names.size >= STATEMENTS) return name;
  if (!seen.has(sql)) {
    if (seen.size < 10 * STATEMENTS) seen.add(sql);
    return undefined;
  }
  names.set(sql, `s${names.size}`);
  return names.get(sql);
}

/** Posts the answer to request `id`, then says so in `flag` and wakes the waiting thread. */
function answer(id: number, message: Answer): void {
  port.postMessage({ ...message, id });
  Atomics.store(flag, 0, id);
  Atomics.notify(flag, 0);
}

async function handle(request: Request): Promise<Answer> {
  await ready;
  if (request.op === 'close') {
    await client.end();
    return { ok: true, fields: [], rows: [], changes: 0, lastInsertRowid: 0 };
  }
  if (request.op === 'exec') {
    await client.query(request.sql);
    return { ok: true, fields: [], rows: [], changes: 0, lastInsertRowid: 0 };
  }
  if (request.op === 'batch') {
    for (const item of request.items)
      await client
        .query({ name: named(item.text), text: item.text, values: item.params })
        .catch((error: Error & { sql?: string }) => {
          error.sql = item.text; // which held-back statement failed
          throw error;
        });
    return { ok: true, fields: [], rows: [], changes: 0, lastInsertRowid: 0 };
  }
  if (request.op === 'lastval') {
    // The trigger that gives a table's integer key notes it in the session (schema.ts):
    // SQLite's last_insert_rowid (0 before any).
    const result = await client.query({
      text: "SELECT current_setting('strata.last_id', true)",
      rowMode: 'array',
    });
    return {
      ok: true,
      fields: [],
      rows: [],
      changes: 0,
      lastInsertRowid: Number(result.rows[0]?.[0] || 0),
    };
  }
  const result = await client.query({
    name: named(request.sql),
    text: request.sql,
    values: request.params as unknown[],
    rowMode: 'array',
  });
  return {
    ok: true,
    fields: result.fields.map((f) => f.name),
    rows: result.rows as unknown[][],
    changes: result.rowCount ?? 0,
    lastInsertRowid: 0,
  };
}

port.on('message', (request: Request & { id: number }) => {
  handle(request).then(
    (message) => answer(request.id, message),
    (error: unknown) => {
      const e = error as { message?: string; code?: string; detail?: string; sql?: string };
      answer(request.id, {
        ok: false,
        message: e.message ?? String(error),
        code: e.code,
        detail: e.detail,
        sql: e.sql,
      });
    },
  );
});
