import { dayOf, periodEndDay } from '../util/dates.js';
import { createLifecycleFrame, NEVER, type LifecycleFrame } from './frame.js';

/** One hand-written customer for lifecycle tests. Arrays run over the frame's periods. */
export interface CustomerSpec {
  /** ISO date the debit account opened; null = never (linked by payroll or card only). @default '2024-01-01' */
  opened?: string | null;
  closed?: string;
  /** AUM per period, or one figure for every period. */
  aum: number | readonly number[];
  /** Net flow per period. @default 0 everywhere */
  flow?: readonly number[];
  /** Product types. @default 2 */
  products?: number;
  /** Last customer-initiated transaction as of each period's end (ISO date or null = never). @default 10 days before each period's end */
  lastTxn?: readonly (string | null)[];
}

/** Builds a frame from specs. */
export function frameOf(
  periods: readonly string[],
  specs: readonly CustomerSpec[],
): LifecycleFrame {
  const frame = createLifecycleFrame(specs.length, periods);
  const n = specs.length;
  specs.forEach((s, i) => {
    frame.openedDay[i] = s.opened === null ? NEVER : dayOf(s.opened ?? '2024-01-01');
    frame.closedDay[i] = s.closed ? dayOf(s.closed) : NEVER;
    periods.forEach((p, t) => {
      const aum = typeof s.aum === 'number' ? s.aum : (s.aum[t] ?? 0);
      frame.aum[t * n + i] = aum;
      frame.netFlow[t * n + i] = s.flow?.[t] ?? 0;
      frame.productTypes[t * n + i] = s.products ?? 2;
      const txn = s.lastTxn ? s.lastTxn[t] : undefined;
      frame.lastTxnDay[t * n + i] =
        txn === undefined ? periodEndDay(p) - 10 : txn === null ? NEVER : dayOf(txn);
    });
  });
  return frame;
}
