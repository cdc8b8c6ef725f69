import { FeatureFrame, type Period, type Scorer } from '@strata/core';
import { loadFeatureInput, loadFeatureInputs } from './features.js';
import type { StrataDb } from './types.js';

/** Above this many customers the whole bank is read in chunks instead of by id. */
const BY_ID_LIMIT = 20_000;

/**
 * A scorer's scores of some customers (ascending ids) for a month: their features are read from
 * the database (by id for a small audience, the bank's chunks otherwise) and scored. NaN where the
 * scorer cannot score a customer.
 */
export function scoreCustomers(
  db: StrataDb,
  scorer: Scorer,
  period: Period,
  ids: Int32Array,
): Float64Array {
  const out = new Float64Array(ids.length).fill(Number.NaN);
  if (ids.length === 0) return out;
  const place = new Map<number, number>();
  ids.forEach((id, k) => place.set(id, k));
  const chunks =
    ids.length <= BY_ID_LIMIT
      ? [loadFeatureInput(db, period, { customerIds: Array.from(ids) })]
      : loadFeatureInputs(db, period);
  for (const input of chunks) {
    const scores = scorer.score(new FeatureFrame(input));
    for (let i = 0; i < input.size; i++) {
      const k = place.get(input.customerIds[i] as number);
      if (k !== undefined) out[k] = scores[i] as number;
    }
  }
  return out;
}
