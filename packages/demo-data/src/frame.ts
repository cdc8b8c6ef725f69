import {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  METRICS,
  MOT_EVENT_TYPES,
  NUMBER_ATTRIBUTES,
  createLifecycleFrame,
  dayOf,
  encodeCategory,
  NEVER,
  periodEndDay,
  periodStartDay,
  type BooleanAttribute,
  type CategoryAttribute,
  type CategoryColumn,
  type FeatureInput,
  type LifecycleFrame,
  type Metric,
  type NumberAttribute,
  type Period,
} from '@strata/core';
import type { DemoBank } from './bank.js';
import type { Customer, CustomerRecord } from './types.js';

/**
 * The lifecycle frame of a demo bank, straight from the generator (no database): what you
 * pass to `evaluateLifecycle` from `@strata/core`. Customer `i` of the frame has id `i + 1`.
 */
export function lifecycleFrameOf(bank: DemoBank): LifecycleFrame {
  const frame = createLifecycleFrame(bank.size, bank.periods);
  const n = bank.size;
  const index = new Map(bank.periods.map((p, t) => [p, t]));
  const windowStart = periodStartDay(bank.periods[0] ?? '1970-01');
  let i = 0;
  for (const { customer, metrics } of bank.customers()) {
    frame.linkedDay[i] = dayOf(customer.linkedOn);
    frame.openedDay[i] = customer.openedOn ? dayOf(customer.openedOn) : NEVER;
    frame.closedDay[i] = customer.closedOn ? dayOf(customer.closedOn) : NEVER;
    const funded = customer.fundedOn ? dayOf(customer.fundedOn) : NEVER;
    if (funded < windowStart) frame.fundedBeforeDay[i] = funded;
    for (const m of metrics) {
      const t = index.get(m.period);
      if (t === undefined) continue;
      const cell = t * n + i;
      frame.aum[cell] = m.aumAvg;
      frame.netFlow[cell] = m.txnInAmount - m.txnOutAmount;
      frame.productTypes[cell] = m.productTypes;
      frame.lastTxnDay[cell] = m.lastTxnOn ? dayOf(m.lastTxnOn) : NEVER;
    }
    i++;
  }
  return frame;
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The feature input (see `@strata/core`'s FeatureInput) of some customer records for month
 * `asOf`, straight from the generator: what `refreshInsight` and `FeatureFrame` read.
 */
export function featureInputOfRecords(
  records: readonly CustomerRecord[],
  periods: readonly Period[],
  asOf: Period,
): FeatureInput {
  const n = records.length;
  const cells = n * periods.length;
  const index = new Map(periods.map((p, t) => [p, t]));
  const end = periodEndDay(asOf);
  const monthly = Object.fromEntries(
    METRICS.map((m) => [m, new Float64Array(cells).fill(Number.NaN)]),
  ) as Record<Metric, Float64Array>;
  const metricFields = METRICS.map((m) => [monthly[m], camel(m)] as const);
  const lastTxnDay = new Int32Array(cells).fill(NEVER);
  const lastEventDay = Object.fromEntries(
    MOT_EVENT_TYPES.map((type) => [type, new Int32Array(n).fill(NEVER)]),
  ) as Record<string, Int32Array>;
  const field = (c: Customer, attr: string) =>
    (c as unknown as Record<string, unknown>)[camel(attr)];
  const day = (iso: string | null) => (iso ? dayOf(iso) : NEVER);
  records.forEach(({ metrics, events }, i) => {
    for (const m of metrics) {
      const t = index.get(m.period);
      if (t === undefined) continue;
      const cell = t * n + i;
      const row = m as unknown as Record<string, number>;
      for (const [col, name] of metricFields) col[cell] = row[name] as number;
      lastTxnDay[cell] = day(m.lastTxnOn);
    }
    for (const e of events) {
      const d = dayOf(e.occurredOn);
      const col = lastEventDay[e.type];
      if (col && d <= end && (col[i] === NEVER || d > (col[i] as number))) col[i] = d;
    }
  });
  const customers = records.map((r) => r.customer);
  return {
    size: n,
    customerIds: Int32Array.from(customers, (c) => c.id),
    periods: [...periods],
    asOf,
    orgUnitIds: Int32Array.from(customers, (c) => c.orgUnitId),
    linkedDay: Int32Array.from(customers, (c) => dayOf(c.linkedOn)),
    openedDay: Int32Array.from(customers, (c) => day(c.openedOn)),
    closedDay: Int32Array.from(customers, (c) => day(c.closedOn)),
    fundedDay: Int32Array.from(customers, (c) => day(c.fundedOn)),
    birthDay: Int32Array.from(customers, (c) => day(c.birthDate)),
    monthly,
    lastTxnDay,
    numbers: Object.fromEntries(
      NUMBER_ATTRIBUTES.map((a) => [
        a,
        Float64Array.from(customers, (c) => {
          const v = field(c, a);
          return v === null || v === undefined ? Number.NaN : Number(v);
        }),
      ]),
    ) as Record<NumberAttribute, Float64Array>,
    booleans: Object.fromEntries(
      BOOLEAN_ATTRIBUTES.map((a) => [a, Uint8Array.from(customers, (c) => (field(c, a) ? 1 : 0))]),
    ) as Record<BooleanAttribute, Uint8Array>,
    categories: Object.fromEntries(
      CATEGORY_ATTRIBUTES.map((a) => [
        a,
        encodeCategory(
          customers.map((c) => {
            const v = field(c, a);
            return v === null || v === undefined ? null : String(v);
          }),
        ),
      ]),
    ) as Record<CategoryAttribute, CategoryColumn>,
    payrollEmployerPresent: Uint8Array.from(customers, (c) =>
      c.payrollEmployerId === null ? 0 : 1,
    ),
    lastEventDay,
  };
}

/**
 * The demo bank as feature inputs of `chunkSize` customers each, for month `asOf` (default:
 * the last generated month): feed them to `refreshInsight` to refresh a bank of any size
 * without holding it all in memory.
 */
export function* featureInputChunks(
  bank: DemoBank,
  options: { readonly asOf?: Period; readonly chunkSize?: number } = {},
): Generator<FeatureInput> {
  const asOf = options.asOf ?? (bank.periods[bank.periods.length - 1] as Period);
  const chunkSize = options.chunkSize ?? 50_000;
  let chunk: CustomerRecord[] = [];
  for (const record of bank.customers()) {
    chunk.push(record);
    if (chunk.length === chunkSize) {
      yield featureInputOfRecords(chunk, bank.periods, asOf);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield featureInputOfRecords(chunk, bank.periods, asOf);
}
