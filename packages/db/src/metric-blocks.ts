import { METRICS, NEVER, dayOf, type Period } from '@strata/core';
import type { StrataDb } from './types.js';

/** Customers per metric block. */
export const BLOCK_SIZE = 50_000;

/** The version of the monthly snapshots: every write to `monthly_metrics` must bump it. */
export function monthlyVersion(db: StrataDb): number {
  const v = db.sqlite
    .prepare("SELECT value FROM meta WHERE key = 'monthly_version'")
    .pluck()
    .get() as string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** Marks the snapshots changed (call in the transaction that changes them): blocks go stale. */
export function bumpMonthlyVersion(db: StrataDb): number {
  const next = monthlyVersion(db) + 1;
  db.sqlite
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('monthly_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
    )
    .run(String(next));
  return next;
}

/** A block's header. */
export interface BlockHeader {
  readonly firstId: number;
  readonly lastId: number;
  readonly count: number;
}

/**
 * The blocks of the current snapshot version, in id order, if they cover every customer over
 * exactly these months; otherwise null (the caller reads rows, or rebuilds).
 */
export function currentBlocks(db: StrataDb, periods: readonly Period[]): BlockHeader[] | null {
  const version = monthlyVersion(db);
  const rows = db.sqlite
    .prepare(
      'SELECT first_id AS firstId, last_id AS lastId, count, periods FROM metric_blocks WHERE data_version = ? ORDER BY first_id',
    )
    .all(version) as (BlockHeader & { periods: string })[];
  if (rows.length === 0) return null;
  if (rows.some((r) => r.periods !== JSON.stringify(periods))) return null;
  const customers = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (rows.reduce((a, r) => a + r.count, 0) !== customers) return null;
  return rows.map(({ firstId, lastId, count }) => ({ firstId, lastId, count }));
}

/** The ids and payload of one block. */
export function readBlockPayload(
  db: StrataDb,
  firstId: number,
): { readonly ids: Int32Array; readonly payload: Buffer } {
  const row = db.sqlite
    .prepare('SELECT ids, payload FROM metric_blocks WHERE data_version = ? AND first_id = ?')
    .get(monthlyVersion(db), firstId) as { ids: Buffer; payload: Buffer };
  const ids = new Int32Array(row.ids.byteLength / 4);
  new Uint8Array(ids.buffer).set(row.ids);
  return { ids, payload: row.payload };
}

/**
 * Rebuilds the metric blocks from `monthly_metrics` for the current snapshot version, in one
 * transaction (older blocks are dropped). One pass over the rows; refreshes then read blobs.
 */
export function rebuildMetricBlocks(
  db: StrataDb,
  onProgress?: (done: number, total: number) => void,
): { readonly blocks: number; readonly ms: number } {
  const started = performance.now();
  const periods = db.sqlite
    .prepare('SELECT DISTINCT period FROM monthly_metrics ORDER BY period')
    .pluck()
    .all() as Period[];
  const t = new Map(periods.map((p, k) => [p, k]));
  const total = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  const version = monthlyVersion(db);
  const page = db.sqlite
    .prepare('SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?')
    .pluck();
  const rows = db.sqlite
    .prepare(
      `SELECT customer_id, period, last_txn_on, ${METRICS.join(', ')} FROM monthly_metrics WHERE customer_id BETWEEN ? AND ?`,
    )
    .raw();
  const insert = db.sqlite.prepare(
    'INSERT INTO metric_blocks (data_version, first_id, last_id, count, periods, ids, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const days = new Map<string, number>();
  let blocks = 0;
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM metric_blocks').run();
    let after = -1;
    let done = 0;
    for (;;) {
      const ids = Int32Array.from(page.all(after, BLOCK_SIZE) as number[]);
      if (ids.length === 0) break;
      const n = ids.length;
      const first = ids[0] as number;
      const last = ids[n - 1] as number;
      const indexOf = new Map<number, number>();
      ids.forEach((id, i) => indexOf.set(id, i));
      const cells = n * periods.length;
      const payload = new ArrayBuffer(cells * 8 * METRICS.length + cells * 4);
      const columns = METRICS.map((_, k) =>
        new Float64Array(payload, k * cells * 8, cells).fill(Number.NaN),
      );
      const lastTxn = new Int32Array(payload, METRICS.length * cells * 8, cells).fill(NEVER);
      for (const row of rows.iterate(first, last) as Iterable<unknown[]>) {
        const i = indexOf.get(row[0] as number);
        const p = t.get(row[1] as string);
        if (i === undefined || p === undefined) continue;
        const cell = p * n + i;
        const iso = row[2] as string | null;
        if (iso !== null) {
          let d = days.get(iso);
          if (d === undefined) {
            d = dayOf(iso);
            days.set(iso, d);
          }
          lastTxn[cell] = d;
        }
        for (let k = 0; k < columns.length; k++)
          (columns[k] as Float64Array)[cell] = row[k + 3] as number;
      }
      insert.run(
        version,
        first,
        last,
        n,
        JSON.stringify(periods),
        Buffer.from(ids.buffer),
        Buffer.from(payload),
      );
      blocks++;
      done += n;
      onProgress?.(done, total);
      after = last;
    }
  })();
  return { blocks, ms: Math.round(performance.now() - started) };
}
