import {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  METRICS,
  MOT_EVENT_TYPES,
  NEVER,
  NUMBER_ATTRIBUTES,
  dayOf,
  encodeCategory,
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
import type { StrataDb } from './types.js';

const day = (iso: string | null): number => (iso ? dayOf(iso) : NEVER);

/**
 * Reads everything the feature engine needs for month `asOf` into columns: every customer,
 * every month of snapshots, and each customer's last event of each type up to the month's end.
 */
export function loadFeatureInput(db: StrataDb, asOf: Period): FeatureInput {
  const periods = db.sqlite
    .prepare('SELECT DISTINCT period FROM monthly_metrics ORDER BY period')
    .pluck()
    .all() as string[];
  if (!periods.includes(asOf)) throw new RangeError(`No monthly data for ${asOf}`);
  const columns = [
    'id',
    'linked_on',
    'opened_on',
    'birth_date',
    'payroll_employer_id',
    ...NUMBER_ATTRIBUTES,
    ...BOOLEAN_ATTRIBUTES,
    ...CATEGORY_ATTRIBUTES,
  ];
  const rows = db.sqlite
    .prepare(`SELECT ${columns.join(', ')} FROM customers ORDER BY id`)
    .all() as Record<string, string | number | null>[];
  const n = rows.length;
  const customerIds = Int32Array.from(rows, (r) => r.id as number);
  const indexOf = new Map<number, number>();
  customerIds.forEach((id, i) => indexOf.set(id, i));
  const numbers = Object.fromEntries(
    NUMBER_ATTRIBUTES.map((a) => [
      a,
      Float64Array.from(rows, (r) => (r[a] === null ? Number.NaN : Number(r[a]))),
    ]),
  ) as Record<NumberAttribute, Float64Array>;
  const booleans = Object.fromEntries(
    BOOLEAN_ATTRIBUTES.map((a) => [a, Uint8Array.from(rows, (r) => (r[a] ? 1 : 0))]),
  ) as Record<BooleanAttribute, Uint8Array>;
  const categories = Object.fromEntries(
    CATEGORY_ATTRIBUTES.map((a) => [
      a,
      encodeCategory(rows.map((r) => (r[a] === null ? null : String(r[a])))),
    ]),
  ) as Record<CategoryAttribute, CategoryColumn>;

  const cells = n * periods.length;
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(cells).fill(Number.NaN)]),
  ) as Record<Metric, Float64Array>;
  const lastTxnDay = new Int32Array(cells).fill(NEVER);
  const t = new Map(periods.map((p, k) => [p, k]));
  const select = db.sqlite
    .prepare(`SELECT customer_id, period, last_txn_on, ${METRICS.join(', ')} FROM monthly_metrics`)
    .raw();
  for (const row of select.iterate() as Iterable<unknown[]>) {
    const i = indexOf.get(row[0] as number);
    const p = t.get(row[1] as string);
    if (i === undefined || p === undefined) continue;
    const cell = p * n + i;
    lastTxnDay[cell] = day(row[2] as string | null);
    METRICS.forEach((m, k) => {
      monthly[m][cell] = row[k + 3] as number;
    });
  }

  const lastEventDay = Object.fromEntries(
    MOT_EVENT_TYPES.map((type) => [type, new Int32Array(n).fill(NEVER)]),
  ) as Record<string, Int32Array>;
  const events = db.sqlite
    .prepare(
      'SELECT customer_id, type, max(occurred_on) FROM events WHERE occurred_on <= ? GROUP BY customer_id, type',
    )
    .raw()
    .iterate(isoDateOf(periodEndDay(asOf))) as Iterable<[number, string, string]>;
  for (const [id, type, last] of events) {
    const i = indexOf.get(id);
    const col = lastEventDay[type];
    if (i !== undefined && col) col[i] = dayOf(last);
  }

  return {
    size: n,
    customerIds,
    periods,
    asOf,
    linkedDay: Int32Array.from(rows, (r) => day(r.linked_on as string)),
    openedDay: Int32Array.from(rows, (r) => day(r.opened_on as string | null)),
    birthDay: Int32Array.from(rows, (r) => day(r.birth_date as string | null)),
    monthly,
    lastTxnDay,
    numbers,
    booleans,
    categories,
    payrollEmployerPresent: Uint8Array.from(rows, (r) => (r.payroll_employer_id === null ? 0 : 1)),
    lastEventDay,
  };
}
