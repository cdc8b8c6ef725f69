import { isoDateOf, periodEndDay, periodStartDay, type Period, type Rng } from '@strata/core';
import type { Organisation } from './org.js';
import type { BankEvent, Customer } from './types.js';

/** What every customer generator needs to know about the bank being built. */
export interface BankContext {
  readonly seed: number;
  readonly periods: readonly Period[];
  readonly startDay: readonly number[];
  readonly endDay: readonly number[];
  readonly org: Organisation;
}

export function bankContext(
  seed: number,
  periods: readonly Period[],
  org: Organisation,
): BankContext {
  return {
    seed,
    periods,
    org,
    startDay: periods.map(periodStartDay),
    endDay: periods.map(periodEndDay),
  };
}

/** Money rounded to the fen. */
export function money(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A log-normal draw with the given median. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

export function iso(day: number): string {
  return isoDateOf(day);
}

/** A day within period t, not before `notBefore`. */
export function dayIn(rng: Rng, ctx: BankContext, t: number, notBefore = -Infinity): number {
  const start = Math.max(ctx.startDay[t] ?? 0, notBefore);
  const end = ctx.endDay[t] ?? start;
  return start >= end ? end : rng.int(start, end);
}

/** Appends events to a customer's list, numbered as the source system would (`CIF-n`). */
export function eventRecorder(customer: Customer, events: BankEvent[]) {
  return (type: BankEvent['type'], day: number, amount: number | null): void => {
    events.push({
      externalId: `${customer.externalId}-${events.length + 1}`,
      customerId: customer.id,
      type,
      occurredOn: iso(day),
      amount: amount === null ? null : money(amount),
    });
  };
}
