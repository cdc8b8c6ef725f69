import type { Period } from '../util/dates.js';
import type { BooleanAttribute, CategoryAttribute, Metric, NumberAttribute } from './catalog.js';

/** A dictionary-encoded text column: `values[codes[i]]`, or null where the code is -1. */
export interface CategoryColumn {
  readonly codes: Int32Array;
  readonly values: readonly string[];
}

/**
 * What the features are computed from, in columns, for `size` customers. Per-month columns
 * are period-major (`t * size + i`) with NaN where a customer has no snapshot that month.
 * Day numbers count from 1970-01-01; NEVER marks "no such day".
 */
export interface FeatureInput {
  readonly size: number;
  readonly customerIds: Int32Array;
  /** The months available, oldest first. */
  readonly periods: readonly Period[];
  /** The month the features describe; events are read up to its last day. */
  readonly asOf: Period;
  /** The sub-branch (org unit) holding each customer. */
  readonly orgUnitIds: Int32Array;
  readonly linkedDay: Int32Array;
  readonly openedDay: Int32Array;
  /** Day the relationship closed, or NEVER. */
  readonly closedDay: Int32Array;
  /** Day the customer first held debit AUM, or NEVER. */
  readonly fundedDay: Int32Array;
  readonly birthDay: Int32Array;
  readonly monthly: Readonly<Record<Metric, Float64Array>>;
  readonly lastTxnDay: Int32Array;
  readonly numbers: Readonly<Record<NumberAttribute, Float64Array>>;
  readonly booleans: Readonly<Record<BooleanAttribute, Uint8Array>>;
  readonly categories: Readonly<Record<CategoryAttribute, CategoryColumn>>;
  /** 1 where the customer's salary is paid by a payroll employer (代发). */
  readonly payrollEmployerPresent: Uint8Array;
  /** Per event type: the day of the customer's last such event on or before the as-of month's end, or NEVER. */
  readonly lastEventDay: Readonly<Record<string, Int32Array>>;
}

/** Encodes texts (null allowed) as a CategoryColumn. */
export function encodeCategory(texts: readonly (string | null)[]): CategoryColumn {
  const values: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(texts.length);
  texts.forEach((t, i) => {
    if (t === null) {
      codes[i] = -1;
      return;
    }
    let code = index.get(t);
    if (code === undefined) {
      code = values.length;
      values.push(t);
      index.set(t, code);
    }
    codes[i] = code;
  });
  return { codes, values };
}

/**
 * The same input restricted to some customers (by index, in the order given): e.g. one
 * customer for a profile, or a sample.
 */
export function selectCustomers(input: FeatureInput, indexes: readonly number[]): FeatureInput {
  const k = indexes.length;
  const n = input.size;
  const months = input.periods.length;
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(
    a: T,
    make: (len: number) => T,
  ): T => {
    const out = make(k);
    indexes.forEach((i, j) => (out[j] = a[i] as number));
    return out;
  };
  const perMonth = <T extends Int32Array | Float64Array>(a: T, make: (len: number) => T): T => {
    const out = make(k * months);
    for (let t = 0; t < months; t++)
      indexes.forEach((i, j) => (out[t * k + j] = a[t * n + i] as number));
    return out;
  };
  const i32 = (len: number) => new Int32Array(len);
  const f64 = (len: number) => new Float64Array(len);
  const u8 = (len: number) => new Uint8Array(len);
  const map = <V, W>(o: Readonly<Record<string, V>>, f: (v: V) => W): Record<string, W> =>
    Object.fromEntries(Object.entries(o).map(([key, v]) => [key, f(v)]));
  return {
    size: k,
    customerIds: pick(input.customerIds, i32),
    periods: input.periods,
    asOf: input.asOf,
    orgUnitIds: pick(input.orgUnitIds, i32),
    linkedDay: pick(input.linkedDay, i32),
    openedDay: pick(input.openedDay, i32),
    closedDay: pick(input.closedDay, i32),
    fundedDay: pick(input.fundedDay, i32),
    birthDay: pick(input.birthDay, i32),
    monthly: map(input.monthly, (c) => perMonth(c, f64)) as FeatureInput['monthly'],
    lastTxnDay: perMonth(input.lastTxnDay, i32),
    numbers: map(input.numbers, (c) => pick(c, f64)) as FeatureInput['numbers'],
    booleans: map(input.booleans, (c) => pick(c, u8)) as FeatureInput['booleans'],
    categories: map(input.categories, (c) => ({
      codes: pick(c.codes, i32),
      values: c.values,
    })) as FeatureInput['categories'],
    payrollEmployerPresent: pick(input.payrollEmployerPresent, u8),
    lastEventDay: map(input.lastEventDay, (c) => pick(c, i32)),
  };
}

/** Chunks of one month's input (same periods and as-of month) as one input, in order. */
export function concatInputs(chunks: readonly FeatureInput[]): FeatureInput {
  const first = chunks[0];
  if (!first) throw new RangeError('concatInputs needs at least one chunk');
  if (chunks.length === 1) return first;
  for (const c of chunks)
    if (c.asOf !== first.asOf || c.periods.join() !== first.periods.join())
      throw new RangeError('every chunk must cover the same months and as-of month');
  const size = chunks.reduce((a, c) => a + c.size, 0);
  const months = first.periods.length;
  const flat = <T extends Int32Array | Float64Array | Uint8Array>(
    pick: (c: FeatureInput) => T,
    make: (len: number) => T,
  ): T => {
    const out = make(size);
    let at = 0;
    for (const c of chunks) {
      out.set(pick(c) as never, at);
      at += c.size;
    }
    return out;
  };
  const perMonth = <T extends Int32Array | Float64Array>(
    pick: (c: FeatureInput) => T,
    make: (len: number) => T,
  ): T => {
    const out = make(size * months);
    for (let t = 0; t < months; t++) {
      let at = 0;
      for (const c of chunks) {
        out.set(pick(c).subarray(t * c.size, (t + 1) * c.size) as never, t * size + at);
        at += c.size;
      }
    }
    return out;
  };
  const i32 = (len: number) => new Int32Array(len);
  const f64 = (len: number) => new Float64Array(len);
  const u8 = (len: number) => new Uint8Array(len);
  const keys = <K extends string>(o: Readonly<Record<K, unknown>>) => Object.keys(o) as K[];
  const category = (key: string): CategoryColumn =>
    encodeCategory(
      chunks.flatMap((c) => {
        const col = (c.categories as Record<string, CategoryColumn>)[key] as CategoryColumn;
        return Array.from(col.codes, (code) => (code < 0 ? null : (col.values[code] as string)));
      }),
    );
  return {
    size,
    customerIds: flat((c) => c.customerIds, i32),
    periods: first.periods,
    asOf: first.asOf,
    orgUnitIds: flat((c) => c.orgUnitIds, i32),
    linkedDay: flat((c) => c.linkedDay, i32),
    openedDay: flat((c) => c.openedDay, i32),
    closedDay: flat((c) => c.closedDay, i32),
    fundedDay: flat((c) => c.fundedDay, i32),
    birthDay: flat((c) => c.birthDay, i32),
    monthly: Object.fromEntries(
      keys(first.monthly).map((m) => [m, perMonth((c) => c.monthly[m], f64)]),
    ) as FeatureInput['monthly'],
    lastTxnDay: perMonth((c) => c.lastTxnDay, i32),
    numbers: Object.fromEntries(
      keys(first.numbers).map((a) => [a, flat((c) => c.numbers[a], f64)]),
    ) as FeatureInput['numbers'],
    booleans: Object.fromEntries(
      keys(first.booleans).map((a) => [a, flat((c) => c.booleans[a], u8)]),
    ) as FeatureInput['booleans'],
    categories: Object.fromEntries(
      keys(first.categories).map((a) => [a, category(a)]),
    ) as unknown as FeatureInput['categories'],
    payrollEmployerPresent: flat((c) => c.payrollEmployerPresent, u8),
    lastEventDay: Object.fromEntries(
      keys(first.lastEventDay).map((type) => [
        type,
        flat((c) => c.lastEventDay[type] as Int32Array, i32),
      ]),
    ),
  };
}
