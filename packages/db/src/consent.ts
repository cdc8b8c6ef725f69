import { CHANNELS, type Channel, type ConsentStatus } from '@strata/core';
import { appendAudit } from './audit.js';
import type { StrataDb } from './types.js';

/** One consent record. */
export interface ConsentRow {
  readonly customerId: number;
  readonly channel: Channel;
  readonly consent: ConsentStatus;
  readonly optedOut: boolean;
  readonly source: string;
  readonly updatedAt: string;
}

/**
 * Records a customer's consent or opt-out on a channel (replacing the previous record) and
 * audits the change, in one transaction.
 */
export function setConsent(
  db: StrataDb,
  change: {
    readonly customerId: number;
    readonly channel: Channel;
    readonly consent: ConsentStatus;
    readonly optedOut: boolean;
    readonly source: string;
    readonly actor: string;
  },
  now: Date = new Date(),
): void {
  if (!(CHANNELS as readonly string[]).includes(change.channel))
    throw new RangeError(`unknown channel ${JSON.stringify(change.channel)}`);
  db.sqlite.transaction(() => {
    db.sqlite
      .prepare(
        `INSERT INTO customer_consents (customer_id, channel, consent, opted_out, source, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (customer_id, channel) DO UPDATE SET consent = excluded.consent,
           opted_out = excluded.opted_out, source = excluded.source, updated_at = excluded.updated_at`,
      )
      .run(
        change.customerId,
        change.channel,
        change.consent,
        change.optedOut ? 1 : 0,
        change.source,
        now.toISOString(),
      );
    appendAudit(
      db,
      {
        actor: change.actor,
        action: 'consent.set',
        target: `customer:${change.customerId}`,
        detail: {
          channel: change.channel,
          consent: change.consent,
          optedOut: change.optedOut,
          source: change.source,
        },
      },
      now,
    );
  })();
}

/** Every consent record of a customer, one per channel that has one. */
export function getConsents(db: StrataDb, customerId: number): ConsentRow[] {
  return (
    db.sqlite
      .prepare(
        `SELECT customer_id AS customerId, channel, consent, opted_out AS optedOut, source, updated_at AS updatedAt
         FROM customer_consents WHERE customer_id = ? ORDER BY channel`,
      )
      .all(customerId) as (Omit<ConsentRow, 'optedOut'> & { optedOut: number })[]
  ).map((r) => ({ ...r, optedOut: r.optedOut === 1 }));
}

/**
 * The customers a strategy may contact on a channel (consent granted, not opted out), for
 * list generation: a sorted Int32Array of customer ids. No record means not contactable.
 */
export function contactableCustomers(db: StrataDb, channel: Channel): Int32Array {
  return Int32Array.from(
    db.sqlite
      .prepare(
        "SELECT customer_id FROM customer_consents WHERE channel = ? AND consent = 'granted' AND opted_out = 0 ORDER BY customer_id",
      )
      .pluck()
      .all(channel) as number[],
  );
}
