import {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  METRICS,
  MOT_EVENT_TYPES,
  NEVER,
  NUMBER_ATTRIBUTES,
  concatInputs,
  dayOf,
  isoDateOf,
  periodEndDay,
  type BooleanAttribute,
  type CategoryAttribute,
  type CategoryColumn,
  type FeatureInput,
  type Metric,
  type NumberAttribute,
  type Period,
} from '@strata/core';
import { currentBlocks, dataVersion, decodeBlock } from './metric-blocks.js';
import type { StrataDb } from './types.js';

/** Day numbers of ISO dates, memoised: a bank has few distinct dates and many rows. */
export function dayReader(): (iso: string | null) => number {
  const memo = new Map<string, number>();
  return (iso) => {
    if (iso === null) return NEVER;
    let d = memo.get(iso);
    if (d === undefined) {
      d = dayOf(iso);
      memo.set(iso, d);
    }
    return d;
  };
}

/**
 * The months with snapshots, oldest first. A loose index scan (one index seek per month, on
 * `monthly_metrics_period`) rather than DISTINCT over every row: 13 months of a million
 * customers take microseconds instead of 0.7 s, and a profile asks for them every time.
 */
export function loadPeriods(db: StrataDb): Period[] {
  // Kept per handle until the customer data changes (every write to snapshots bumps the data
  // version): a profile asks for them on every call.
  const version = dataVersion(db);
  const kept = periodsKept.get(db);
  if (kept && kept.version === version && !db.sqlite.inTransaction) return [...kept.periods];
  const periods = readPeriods(db);
  if (!db.sqlite.inTransaction) periodsKept.set(db, { version, periods });
  return [...periods];
}

const periodsKept = new WeakMap<StrataDb, { version: number; periods: readonly Period[] }>();

function readPeriods(db: StrataDb): Period[] {
  return db.sqlite
    .prepare(
      `WITH RECURSIVE p(period) AS (
         SELECT min(period) FROM monthly_metrics
         UNION ALL
         SELECT (SELECT min(period) FROM monthly_metrics WHERE period > p.period) FROM p WHERE p.period IS NOT NULL
       ) SELECT period FROM p WHERE period IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
}

const CUSTOMER_COLUMNS = [
  'id',
  'org_unit_id',
  'linked_on',
  'opened_on',
  'closed_on',
  'funded_on',
  'birth_date',
  'payroll_employer_id',
  ...NUMBER_ATTRIBUTES,
  ...BOOLEAN_ATTRIBUTES,
  ...CATEGORY_ATTRIBUTES,
];

/** Options for reading feature inputs. */
export interface LoadFeatureOptions {
  /** Only these customers (by id), e.g. one for a profile. */
  readonly customerIds?: readonly number[];
  /**
   * Customers per chunk for `loadFeatureInputs`. Unset: the metric blocks' chunks when they are
   * current (fast), else 50000 read from rows.
   */
  readonly chunkSize?: number;
}

/** Fills the monthly columns from `monthly_metrics` rows (the slow path: one row per customer-month). */
function readMonthlyRows(
  db: StrataDb,
  periods: readonly Period[],
  indexOf: ReadonlyMap<number, number>,
  n: number,
  metricColumns: readonly Float64Array[],
  lastTxnDay: Int32Array,
  day: (iso: string | null) => number,
  range: { readonly where: string; readonly params: readonly unknown[] },
): void {
  const t = new Map(periods.map((p, k) => [p, k]));
  const select = db.sqlite
    .prepare(
      `SELECT customer_id, period, last_txn_on, ${METRICS.join(', ')} FROM monthly_metrics WHERE ${range.where}`,
    )
    .raw();
  // a few customers (a profile): all rows at once — iterating costs more per row than it saves
  const rows = (
    n <= 64 ? select.all(...range.params) : select.iterate(...range.params)
  ) as Iterable<unknown[]>;
  for (const row of rows) {
    const i = indexOf.get(row[0] as number);
    const p = t.get(row[1] as string);
    if (i === undefined || p === undefined) continue;
    const cell = p * n + i;
    lastTxnDay[cell] = day(row[2] as string | null);
    for (let k = 0; k < metricColumns.length; k++)
      (metricColumns[k] as Float64Array)[cell] = row[k + 3] as number;
  }
}

function build(
  db: StrataDb,
  asOf: Period,
  periods: readonly Period[],
  rows: readonly unknown[][],
  day: (iso: string | null) => number,
  range: { readonly where: string; readonly params: readonly unknown[] },
): FeatureInput {
  const n = rows.length;
  const col = (name: string) => CUSTOMER_COLUMNS.indexOf(name);
  const customerIds = new Int32Array(n);
  const indexOf = new Map<number, number>();
  rows.forEach((r, i) => {
    customerIds[i] = r[0] as number;
    indexOf.set(r[0] as number, i);
  });
  const ints = (name: string, f: (v: unknown) => number) => {
    const k = col(name);
    return Int32Array.from(rows, (r) => f(r[k]));
  };
  const numbers = Object.fromEntries(
    NUMBER_ATTRIBUTES.map((a) => {
      const k = col(a);
      return [a, Float64Array.from(rows, (r) => (r[k] === null ? Number.NaN : Number(r[k])))];
    }),
  ) as Record<NumberAttribute, Float64Array>;
  const booleans = Object.fromEntries(
    BOOLEAN_ATTRIBUTES.map((a) => {
      const k = col(a);
      return [a, Uint8Array.from(rows, (r) => (r[k] ? 1 : 0))];
    }),
  ) as Record<BooleanAttribute, Uint8Array>;
  const categories = Object.fromEntries(
    CATEGORY_ATTRIBUTES.map((a) => {
      const k = col(a);
      const values: string[] = [];
      const codeOf = new Map<string, number>();
      const codes = Int32Array.from(rows, (r) => {
        const v = r[k];
        if (v === null || v === undefined) return -1;
        const text = String(v);
        let code = codeOf.get(text);
        if (code === undefined) {
          code = values.length;
          values.push(text);
          codeOf.set(text, code);
        }
        return code;
      });
      const column: CategoryColumn = { codes, values };
      return [a, column];
    }),
  ) as unknown as Record<CategoryAttribute, CategoryColumn>;

  const cells = n * periods.length;
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(cells).fill(Number.NaN)]),
  ) as Record<Metric, Float64Array>;
  const metricColumns = METRICS.map((m) => monthly[m]);
  const lastTxnDay = new Int32Array(cells).fill(NEVER);
  readMonthlyRows(db, periods, indexOf, n, metricColumns, lastTxnDay, day, range);

  const lastEventDay = Object.fromEntries(
    MOT_EVENT_TYPES.map((type) => [type, new Int32Array(n).fill(NEVER)]),
  ) as Record<string, Int32Array>;
  const lastEvents = db.sqlite
    .prepare(
      `SELECT customer_id, type, max(occurred_on) FROM events WHERE ${range.where} AND occurred_on <= ? GROUP BY customer_id, type`,
    )
    .raw();
  const end = isoDateOf(periodEndDay(asOf));
  const events = (
    n <= 64 ? lastEvents.all(...range.params, end) : lastEvents.iterate(...range.params, end)
  ) as Iterable<[number, string, string]>;
  for (const [id, type, last] of events) {
    const i = indexOf.get(id);
    const days = lastEventDay[type];
    if (i !== undefined && days) days[i] = day(last);
  }

  const payroll = col('payroll_employer_id');
  return {
    size: n,
    customerIds,
    periods,
    asOf,
    orgUnitIds: ints('org_unit_id', (v) => v as number),
    linkedDay: ints('linked_on', (v) => day(v as string)),
    openedDay: ints('opened_on', (v) => day(v as string | null)),
    closedDay: ints('closed_on', (v) => day(v as string | null)),
    fundedDay: ints('funded_on', (v) => day(v as string | null)),
    birthDay: ints('birth_date', (v) => day(v as string | null)),
    monthly,
    lastTxnDay,
    numbers,
    booleans,
    categories,
    payrollEmployerPresent: Uint8Array.from(rows, (r) => (r[payroll] === null ? 0 : 1)),
    lastEventDay,
  };
}

/**
 * The feature inputs of every customer for month `asOf`, in chunks of consecutive ids: what
 * `refreshInsight` reads without holding the whole bank in memory at once.
 */
export function* loadFeatureInputs(
  db: StrataDb,
  asOf: Period,
  options: LoadFeatureOptions = {},
): Generator<FeatureInput> {
  const periods = loadPeriods(db);
  if (!periods.includes(asOf)) throw new RangeError(`No monthly data for ${asOf}`);
  const blocks = options.chunkSize === undefined ? currentBlocks(db, periods) : null;
  if (blocks) {
    // The columnar copy is current: one row of blobs per chunk instead of millions of rows.
    for (const b of blocks) yield decodeBlock(db, b.firstId, asOf);
    return;
  }
  yield* rowChunks(db, asOf, periods, options.chunkSize ?? 50_000);
}

/** Feature inputs read from the rows (customers, monthly_metrics, events), `chunkSize` at a time. */
export function* rowChunks(
  db: StrataDb,
  asOf: Period,
  periods: readonly Period[],
  chunkSize: number,
): Generator<FeatureInput> {
  const day = dayReader();
  const range = (first: number, last: number) => ({
    where: 'customer_id BETWEEN ? AND ?',
    params: [first, last],
  });
  const page = db.sqlite
    .prepare(
      `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM customers WHERE id > ? ORDER BY id LIMIT ?`,
    )
    .raw();
  let after = -1;
  for (;;) {
    const rows = page.all(after, chunkSize) as unknown[][];
    if (rows.length === 0) return;
    const first = rows[0]?.[0] as number;
    const last = rows[rows.length - 1]?.[0] as number;
    yield build(db, asOf, periods, rows, day, range(first, last));
    after = last;
    if (rows.length < chunkSize) return;
  }
}

/**
 * Reads everything the feature engine needs for month `asOf` into columns: every customer (or
 * the ones asked for), every month of snapshots, and each customer's last event of each type
 * up to the month's end.
 */
export function loadFeatureInput(
  db: StrataDb,
  asOf: Period,
  options: LoadFeatureOptions = {},
): FeatureInput {
  if (options.customerIds) {
    const periods = loadPeriods(db);
    if (!periods.includes(asOf)) throw new RangeError(`No monthly data for ${asOf}`);
    const ids = [...options.customerIds];
    const list = ids.map(() => '?').join(', ') || 'NULL';
    const rows = db.sqlite
      .prepare(
        `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM customers WHERE id IN (${list}) ORDER BY id`,
      )
      .raw()
      .all(...ids) as unknown[][];
    return build(db, asOf, periods, rows, dayReader(), {
      where: `customer_id IN (${list})`,
      params: ids,
    });
  }
  // From the metric blocks when they are current (then joined), else in one piece from rows.
  const periods = loadPeriods(db);
  const chunks = currentBlocks(db, periods)
    ? [...loadFeatureInputs(db, asOf)]
    : [...loadFeatureInputs(db, asOf, { chunkSize: 1_000_000_000 })];
  if (chunks.length === 0) throw new RangeError('No customers');
  return concatInputs(chunks);
}
