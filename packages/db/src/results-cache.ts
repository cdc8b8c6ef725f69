import { dataVersion } from './metric-blocks.js';
import type { StrataDb } from './types.js';

/**
 * The version of the strategies' results: bumped, inside their transactions, by everything that
 * writes lists or outcomes (list generation, triggered lists, outcomes recorded or linked from an
 * import). Aggregates over them (the map's per-cell results, the board) may be remembered until
 * it, or the customer data, changes.
 */
export function resultsVersion(db: StrataDb): number {
  const v = db.sqlite
    .prepare("SELECT value FROM meta WHERE key = 'results_version'")
    .pluck()
    .get() as string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** Marks the lists or outcomes changed. Call inside the writing transaction. */
export function bumpResultsVersion(db: StrataDb, now = new Date()): void {
  db.sqlite
    .prepare(
      "INSERT INTO meta (key, value, updated_at) VALUES ('results_version', '1', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1, updated_at = excluded.updated_at",
    )
    .run(now.toISOString());
}

const caches = new WeakMap<StrataDb, Map<string, unknown>>();
const SIZE = 64;

/**
 * `compute()`, remembered per database under `parts` (which must name everything else the
 * answer depends on) until the results version or the customer data version changes.
 */
export function rememberResults<T>(db: StrataDb, parts: readonly unknown[], compute: () => T): T {
  const key = JSON.stringify([resultsVersion(db), dataVersion(db), ...parts]);
  const cache = caches.get(db) ?? new Map<string, unknown>();
  caches.set(db, cache);
  if (cache.has(key)) {
    const hit = cache.get(key) as T;
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = compute();
  cache.set(key, value);
  if (cache.size > SIZE) cache.delete(cache.keys().next().value as string);
  return value;
}
