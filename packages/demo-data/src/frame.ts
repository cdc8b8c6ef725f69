import {
  createLifecycleFrame,
  dayOf,
  NEVER,
  periodStartDay,
  type LifecycleFrame,
} from '@strata/core';
import type { DemoBank } from './bank.js';

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
