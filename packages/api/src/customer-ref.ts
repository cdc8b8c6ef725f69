import { getCustomerCard, type CustomerCard, type StrataDb } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Caller } from './trpc.js';

/** A customer: Strata's id, or the bank's customer number (what portals and files know). */
export const customerRefInput = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(64),
]);

/** The id of a customer reference (no scope applied), or undefined. */
export function customerIdOf(db: StrataDb, ref: number | string): number | undefined {
  if (typeof ref === 'number') return ref;
  return db.sqlite.prepare('SELECT id FROM customers WHERE external_id = ?').pluck().get(ref) as
    number | undefined;
}

/**
 * A customer within the caller's scope, masked. One outside it is "not found", exactly as one
 * that does not exist.
 */
export function visibleCustomer(db: StrataDb, caller: Caller, ref: number | string): CustomerCard {
  const id = customerIdOf(db, ref);
  const card = id === undefined ? undefined : getCustomerCard(db, caller.scope, id);
  if (!card)
    throw new TRPCError({ code: 'NOT_FOUND', message: `No customer ${JSON.stringify(ref)}.` });
  return card;
}
