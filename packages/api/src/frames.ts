import { FeatureFrame, type Period } from '@strata/core';
import { dataVersion, loadFeatureInput, type StrataDb } from '@strata/db';

/**
 * The whole bank's feature frame for a month, kept between requests (the clustering lab and
 * live counts read it in milliseconds instead of re-reading the database). It is rebuilt when
 * the data changes (see `cacheKey`).
 */
const cache = new WeakMap<StrataDb, { key: string; frame: FeatureFrame }>();

/**
 * The cache key: the month, the data version writers bump, and on SQLite the last rowids as a
 * backstop (PostgreSQL has no cheap equivalent; every writer there is Strata's own code).
 */
function cacheKey(db: StrataDb, period: Period): string {
  if (db.dialect === 'postgres') return `${period}:${dataVersion(db)}`;
  const max = (table: string) =>
    db.sqlite.prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number;
  return `${period}:${dataVersion(db)}:${max('customers')}:${max('monthly_metrics')}:${max('events')}`;
}

/** The cached feature frame of `period`. */
export function featureFrameOf(db: StrataDb, period: Period): FeatureFrame {
  const key = cacheKey(db, period);
  const hit = cache.get(db);
  if (hit?.key === key) return hit.frame;
  const frame = new FeatureFrame(loadFeatureInput(db, period));
  cache.set(db, { key, frame });
  return frame;
}
