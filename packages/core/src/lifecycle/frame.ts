import type { Period } from '../util/dates.js';

/** The stage code of a customer not yet known to the bank in a period; funnels skip it. */
export const NOT_LINKED = 255;

/** "No such day": an account never opened or never closed, a customer who never transacted. */
export const NEVER = 0x7fffffff;

/**
 * What the lifecycle rules read, for `size` customers over `periods` months, in columns.
 * Per-period columns are period-major: customer `i` in period `t` is at `t * size + i`,
 * so one period is one contiguous slice.
 */
export interface LifecycleFrame {
  readonly size: number;
  /** The months covered, oldest first (`YYYY-MM`). */
  readonly periods: readonly Period[];
  /** Day number (days since 1970-01-01) the customer became known (CIF created); before it they are not counted. */
  readonly linkedDay: Int32Array;
  /** Day number the customer first held debit AUM, if before the frame's first period; else NEVER (the frame's months tell). */
  readonly fundedBeforeDay: Int32Array;
  /** Day number (days since 1970-01-01) the first debit account opened, or NEVER (linked only by payroll or card). */
  readonly openedDay: Int32Array;
  /** Day number the relationship was closed, or NEVER. */
  readonly closedDay: Int32Array;
  /** Monthly average daily AUM (月日均), RMB. */
  readonly aum: Float64Array;
  /** Inflow minus outflow in the month, RMB. */
  readonly netFlow: Float64Array;
  /** Product types held at the month's end. */
  readonly productTypes: Uint8Array;
  /** Day number of the last customer-initiated transaction up to the month's end, or NEVER. */
  readonly lastTxnDay: Int32Array;
}

/** Allocates an empty frame to be filled column by column. */
export function createLifecycleFrame(size: number, periods: readonly Period[]): LifecycleFrame {
  const cells = size * periods.length;
  return {
    size,
    periods: [...periods],
    linkedDay: new Int32Array(size),
    fundedBeforeDay: new Int32Array(size).fill(NEVER),
    openedDay: new Int32Array(size).fill(NEVER),
    closedDay: new Int32Array(size).fill(NEVER),
    aum: new Float64Array(cells),
    netFlow: new Float64Array(cells),
    productTypes: new Uint8Array(cells),
    lastTxnDay: new Int32Array(cells).fill(NEVER),
  };
}
