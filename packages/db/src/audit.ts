import { createHash } from 'node:crypto';
import type { StrataDb } from './types.js';

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

/** What one audited action records. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly origin?: string | null;
}

/** A stored entry. */
export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly detail: string;
  readonly origin: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash of a row: SHA-256 over the previous hash and every field, unambiguously joined. */
function hashOf(
  prevHash: string,
  row: Omit<AuditRow, 'id' | 'hash' | 'prevHash'> & { id: number },
): string {
  const fields = [
    prevHash,
    String(row.id),
    row.at,
    row.actor,
    row.action,
    row.target ?? '',
    row.detail,
    row.origin ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends an entry to the audit log, chained to the last one. Call it inside the transaction of
 * the action it records, so either both are written or neither.
 */
export function appendAudit(db: StrataDb, entry: AuditEntry, now: Date = new Date()): AuditRow {
  const last = db.sqlite
    .prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
    .get() as { id: number; hash: string } | undefined;
  const row = {
    id: (last?.id ?? 0) + 1,
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
    origin: entry.origin ?? null,
  };
  const prevHash = last?.hash ?? GENESIS;
  const hash = hashOf(prevHash, row);
  db.sqlite
    .prepare(
      'INSERT INTO audit_log (id, at, actor, action, target, detail, origin, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(row.id, row.at, row.actor, row.action, row.target, row.detail, row.origin, prevHash, hash);
  return { ...row, prevHash, hash };
}

/** What `verifyAuditLog` found. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The first entry that does not match its chain, and why. */
  readonly broken?: { readonly id: number; readonly reason: string };
}

/** Walks the whole chain: every entry's hash, its link to the one before, no gaps in the ids. */
export function verifyAuditLog(db: Pick<StrataDb, 'sqlite'>): AuditVerification {
  const rows = db.sqlite
    .prepare(
      'SELECT id, at, actor, action, target, detail, origin, prev_hash AS prevHash, hash FROM audit_log ORDER BY id',
    )
    .iterate() as Iterable<AuditRow>;
  let prev = GENESIS;
  let expectedId = 1;
  let checked = 0;
  for (const row of rows) {
    if (row.id !== expectedId)
      return {
        ok: false,
        checked,
        broken: { id: row.id, reason: `entry ${expectedId} is missing` },
      };
    if (row.prevHash !== prev)
      return {
        ok: false,
        checked,
        broken: { id: row.id, reason: 'does not follow the entry before it' },
      };
    if (hashOf(prev, row) !== row.hash)
      return { ok: false, checked, broken: { id: row.id, reason: 'its content was changed' } };
    prev = row.hash;
    expectedId++;
    checked++;
  }
  return { ok: true, checked };
}
