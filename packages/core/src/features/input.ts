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
  readonly linkedDay: Int32Array;
  readonly openedDay: Int32Array;
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
