import type { StrataDb } from './types.js';

/**
 * Runs `write` — which opens its own transaction — with SQLite's per-row foreign-key lookups
 * off, for bulk writes whose references hold by construction (customer ids read from tables
 * whose own foreign keys reference customers, in the same or a checked state; customers are
 * never deleted). At a million rows the lookups cost ~0.5 s (a refresh) or ~0.2 s per 165,000
 * (a list run). `write` is told whether they were off; on PostgreSQL, or inside a caller's
 * transaction (where the pragma does nothing), the checks stay on. They are on again after.
 */
export function withTrustedReferences<T>(db: StrataDb, write: (unchecked: boolean) => T): T {
  const unchecked =
    db.dialect === 'sqlite' &&
    !db.sqlite.inTransaction &&
    db.sqlite.pragma('foreign_keys', { simple: true }) === 1;
  if (!unchecked) return write(false);
  db.sqlite.pragma('foreign_keys = OFF');
  try {
    return write(true);
  } finally {
    db.sqlite.pragma('foreign_keys = ON');
  }
}
