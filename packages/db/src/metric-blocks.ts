import {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  METRICS,
  MOT_EVENT_TYPES,
  NEVER,
  NUMBER_ATTRIBUTES,
  periodEndDay,
  type BooleanAttribute,
  type CategoryAttribute,
  type CategoryColumn,
  type FeatureInput,
  type Metric,
  type NumberAttribute,
  type Period,
} from '@strata/core';
import { dayReader, loadPeriods, rowChunks } from './features.js';
import type { StrataDb } from './types.js';

/** Largest blob a block's payload is meant to hold. */
export const BLOCK_BYTES = 16 * 2 ** 20;

/**
 * Customers per block for these months: as many as keep the payload (every metric and the last
 * transaction day, every month) within 16 MiB — about 9,000 customers over 13 months. Bigger
 * blobs cost far more to read than their size says: one of 91 MB came back at ~0.65 GB/s, ones
 * of 30 MB or less at ~3 GB/s (glibc hands allocations over 32 MB fresh pages from the kernel,
 * and each page faults in), which made reading the blocks ~3 s of a 1M-customer refresh.
 */
export function blockSize(months: number): number {
  const perCustomer = Math.max(1, months) * (METRICS.length * 8 + 4);
  return Math.max(1_000, Math.min(50_000, Math.floor(BLOCK_BYTES / perCustomer)));
}

/**
 * The version of the customer data (customers, monthly snapshots, events): every write to them
 * must bump it, in the same transaction, so the blocks are rebuilt.
 */
export function dataVersion(db: StrataDb): number {
  const v = db.sqlite.prepare("SELECT value FROM meta WHERE key = 'data_version'").pluck().get() as
    string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** Marks the customer data changed: the blocks go stale until rebuilt. */
export function bumpDataVersion(db: StrataDb): number {
  const next = dataVersion(db) + 1;
  db.sqlite
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('data_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
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
 * The blocks of the current data version, in id order, if they cover every customer over
 * exactly these months; otherwise null (the caller reads rows, or rebuilds).
 */
export function currentBlocks(db: StrataDb, periods: readonly Period[]): BlockHeader[] | null {
  const rows = db.sqlite
    .prepare(
      'SELECT first_id AS firstId, last_id AS lastId, count, periods, length(attributes) IS NOT NULL AS complete FROM metric_blocks WHERE data_version = ? ORDER BY first_id',
    )
    .all(dataVersion(db)) as (BlockHeader & { periods: string; complete: number })[];
  if (rows.length === 0) return null;
  // Blocks written with more customers than `blockSize` (older versions wrote 50,000) are
  // rebuilt once: they read several times slower.
  const most = blockSize(periods.length);
  if (rows.some((r) => r.periods !== JSON.stringify(periods) || !r.complete || r.count > most))
    return null;
  const customers = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (rows.reduce((a, r) => a + r.count, 0) !== customers) return null;
  return rows.map(({ firstId, lastId, count }) => ({ firstId, lastId, count }));
}

// ---------------------------------------------------------------------------------------------
// Layout of a block. `payload`: per metric (METRICS order) Float64 × months × n, then Int32
// last-transaction days × months × n. `attributes`: Float64 numbers (NUMBER_ATTRIBUTES) × n;
// Int32 ids, org units, linked, opened, closed, funded and birth days, category codes
// (CATEGORY_ATTRIBUTES) × n; Uint8 booleans (BOOLEAN_ATTRIBUTES) and "payroll employer
// present" × n. `events`: Int32 offsets (n × types + 1) then Int32 days, ascending within each
// (customer, type), types in MOT_EVENT_TYPES order.

const INT_COLUMNS = [
  'customerIds',
  'orgUnitIds',
  'linkedDay',
  'openedDay',
  'closedDay',
  'fundedDay',
  'birthDay',
] as const;

/** Copies typed arrays into one buffer, back to back. */
function pack(parts: readonly ArrayBufferView[]): Buffer {
  const bytes = parts.reduce((a, p) => a + p.byteLength, 0);
  const out = Buffer.alloc(bytes);
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Reads typed arrays back from a buffer: views into it where the offset is aligned (a large
 * blob arrives in its own memory), copies otherwise.
 */
function reader(buffer: Buffer) {
  let at = 0;
  const take = <T extends Float64Array | Int32Array | Uint8Array>(
    View: {
      new (b: ArrayBufferLike, o: number, n: number): T;
      new (n: number): T;
      readonly BYTES_PER_ELEMENT: number;
    },
    n: number,
  ): T => {
    const bytes = n * View.BYTES_PER_ELEMENT;
    const offset = buffer.byteOffset + at;
    at += bytes;
    if (offset % View.BYTES_PER_ELEMENT === 0) return new View(buffer.buffer, offset, n);
    const out = new View(n);
    new Uint8Array(out.buffer, out.byteOffset, bytes).set(buffer.subarray(at - bytes, at));
    return out;
  };
  return {
    f64: (n: number) => take(Float64Array, n),
    i32: (n: number) => take(Int32Array, n),
    u8: (n: number) => take(Uint8Array, n),
  };
}

function encodeBlock(input: FeatureInput, events: Int32Array) {
  const payload = pack([...METRICS.map((m) => input.monthly[m]), input.lastTxnDay]);
  const attributes = pack([
    ...NUMBER_ATTRIBUTES.map((a) => input.numbers[a]),
    ...INT_COLUMNS.map((c) => input[c]),
    ...CATEGORY_ATTRIBUTES.map((a) => input.categories[a].codes),
    ...BOOLEAN_ATTRIBUTES.map((a) => input.booleans[a]),
    input.payrollEmployerPresent,
  ]);
  const dictionary = JSON.stringify(
    Object.fromEntries(CATEGORY_ATTRIBUTES.map((a) => [a, input.categories[a].values])),
  );
  return { payload, attributes, dictionary, events: pack([events]) };
}

/** One block as a feature input for month `asOf` (last events read up to its last day). */
export function decodeBlock(db: StrataDb, firstId: number, asOf: Period): FeatureInput {
  return readBlock(db.sqlite, dataVersion(db), firstId, asOf);
}

/**
 * `decodeBlock` on any connection to the database (a worker thread's own), for data version
 * `version`: a block that is not there (the data changed and the blocks were rebuilt) is named.
 */
export function readBlock(
  sqlite: StrataDb['sqlite'],
  version: number,
  firstId: number,
  asOf: Period,
): FeatureInput {
  const row = sqlite
    .prepare(
      'SELECT count, periods, payload, attributes, dictionary, events FROM metric_blocks WHERE data_version = ? AND first_id = ?',
    )
    .get(version, firstId) as
    | {
        count: number;
        periods: string;
        payload: Buffer;
        attributes: Buffer;
        dictionary: string;
        events: Buffer;
      }
    | undefined;
  if (!row)
    throw new Error(
      `The customer data changed while the refresh read it (block ${firstId} of data version ${version} is gone). Run the refresh again.`,
    );
  const n = row.count;
  const periods = JSON.parse(row.periods) as Period[];
  const cells = n * periods.length;
  const p = reader(row.payload);
  const monthly = Object.fromEntries(METRICS.map((m) => [m, p.f64(cells)])) as Record<
    Metric,
    Float64Array
  >;
  const lastTxnDay = p.i32(cells);
  const a = reader(row.attributes);
  const numbers = Object.fromEntries(NUMBER_ATTRIBUTES.map((x) => [x, a.f64(n)])) as Record<
    NumberAttribute,
    Float64Array
  >;
  const ints = Object.fromEntries(INT_COLUMNS.map((c) => [c, a.i32(n)])) as Record<
    (typeof INT_COLUMNS)[number],
    Int32Array
  >;
  const values = JSON.parse(row.dictionary) as Record<string, string[]>;
  const categories = Object.fromEntries(
    CATEGORY_ATTRIBUTES.map((x) => {
      const column: CategoryColumn = { codes: a.i32(n), values: values[x] ?? [] };
      return [x, column];
    }),
  ) as unknown as Record<CategoryAttribute, CategoryColumn>;
  const booleans = Object.fromEntries(BOOLEAN_ATTRIBUTES.map((x) => [x, a.u8(n)])) as Record<
    BooleanAttribute,
    Uint8Array
  >;
  const payrollEmployerPresent = a.u8(n);

  const types = MOT_EVENT_TYPES.length;
  const e = reader(row.events);
  const offsets = e.i32(n * types + 1);
  const days = e.i32(offsets[n * types] as number);
  const end = periodEndDay(asOf);
  const lastEventDay: Record<string, Int32Array> = {};
  MOT_EVENT_TYPES.forEach((type, k) => {
    const col = new Int32Array(n).fill(NEVER);
    for (let i = 0; i < n; i++) {
      const from = offsets[i * types + k] as number;
      let to = (offsets[i * types + k + 1] as number) - 1;
      while (to >= from && (days[to] as number) > end) to--;
      if (to >= from) col[i] = days[to] as number;
    }
    lastEventDay[type] = col;
  });
  return {
    size: n,
    customerIds: ints.customerIds,
    periods,
    asOf,
    orgUnitIds: ints.orgUnitIds,
    linkedDay: ints.linkedDay,
    openedDay: ints.openedDay,
    closedDay: ints.closedDay,
    fundedDay: ints.fundedDay,
    birthDay: ints.birthDay,
    monthly,
    lastTxnDay,
    numbers,
    booleans,
    categories,
    payrollEmployerPresent,
    lastEventDay,
  };
}

/** Every event day of customers [first, last], CSR by (customer index, type). */
function eventIndex(db: StrataDb, ids: Int32Array, first: number, last: number): Int32Array {
  const types = MOT_EVENT_TYPES.length;
  const typeIndex = new Map<string, number>(MOT_EVENT_TYPES.map((t, k) => [t, k]));
  const indexOf = new Map<number, number>();
  ids.forEach((id, i) => indexOf.set(id, i));
  const n = ids.length;
  const rows = db.sqlite
    .prepare(
      'SELECT customer_id, type, occurred_on FROM events WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, type, occurred_on',
    )
    .raw()
    .all(first, last) as [number, string, string][];
  const counts = new Int32Array(n * types + 1);
  const keep: [number, number][] = [];
  const day = dayReader();
  for (const [id, type, on] of rows) {
    const i = indexOf.get(id);
    const k = typeIndex.get(type);
    if (i === undefined || k === undefined) continue;
    const d = day(on);
    counts[i * types + k] = (counts[i * types + k] as number) + 1;
    keep.push([i * types + k, d]);
  }
  const out = new Int32Array(n * types + 1 + keep.length);
  let at = 0;
  for (let slot = 0; slot < n * types; slot++) {
    out[slot] = at;
    at += counts[slot] as number;
  }
  out[n * types] = at;
  // Rows come sorted by customer id (= index order), then type, then day: fill in order.
  const fill = new Int32Array(n * types);
  for (const [slot, d] of keep) {
    out[n * types + 1 + (out[slot] as number) + (fill[slot] as number)] = d;
    fill[slot] = (fill[slot] as number) + 1;
  }
  return out;
}

/**
 * Rebuilds every block from the rows for the current data version, in one transaction (older
 * blocks are dropped): one pass over customers, snapshots and events; refreshes then read blobs.
 */
export function rebuildMetricBlocks(
  db: StrataDb,
  onProgress?: (done: number, total: number) => void,
  /** Customers per block. @default blockSize(months) */
  size?: number,
): { readonly blocks: number; readonly ms: number } {
  const started = performance.now();
  const periods = loadPeriods(db);
  const asOf = periods[periods.length - 1];
  const total = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  const version = dataVersion(db);
  const insert = db.sqlite.prepare(
    'INSERT INTO metric_blocks (data_version, first_id, last_id, count, periods, ids, payload, attributes, dictionary, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let blocks = 0;
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM metric_blocks').run();
    if (!asOf) return;
    let done = 0;
    for (const input of rowChunks(db, asOf, periods, size ?? blockSize(periods.length))) {
      const first = input.customerIds[0] as number;
      const last = input.customerIds[input.size - 1] as number;
      const events = eventIndex(db, input.customerIds, first, last);
      const block = encodeBlock(input, events);
      insert.run(
        version,
        first,
        last,
        input.size,
        JSON.stringify(periods),
        pack([input.customerIds]),
        block.payload,
        block.attributes,
        block.dictionary,
        block.events,
      );
      blocks++;
      done += input.size;
      onProgress?.(done, total);
    }
  })();
  return { blocks, ms: Math.round(performance.now() - started) };
}
