import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditLog } from './audit.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute));

beforeEach(() => {
  db = openTestDatabase();
  appendAudit(db, { actor: 'admin', action: 'login', origin: '10.0.0.8' }, at(0));
  appendAudit(
    db,
    {
      actor: 'zhang.wei',
      action: 'unmask',
      target: 'customer:42',
      detail: { field: 'phone', reason: '回访核实' },
    },
    at(1),
  );
  appendAudit(
    db,
    { actor: 'zhang.wei', action: 'export', target: 'list:7', detail: { rows: 1200 } },
    at(2),
  );
});
afterEach(() => db.close());

describe('the audit log', () => {
  it('chains every entry to the one before, and verifies', () => {
    expect(verifyAuditLog(db)).toEqual({ ok: true, checked: 3 });
    const rows = db.sqlite.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY id').all() as {
      prev_hash: string;
      hash: string;
    }[];
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[2]?.prev_hash).toBe(rows[1]?.hash);
  });

  it('refuses to change or delete an entry', () => {
    expect(() => db.sqlite.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => db.sqlite.prepare('DELETE FROM audit_log WHERE id = 3').run()).toThrow(
      /append-only/,
    );
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('finds an entry edited behind the triggers’ back', () => {
    // PostgreSQL names the table of a trigger
    db.sqlite.exec(
      `DROP TRIGGER audit_log_no_update${db.dialect === 'postgres' ? ' ON audit_log' : ''}`,
    );
    db.sqlite
      .prepare('UPDATE audit_log SET detail = \'{"field":"phone","reason":""}\' WHERE id = 2')
      .run();
    expect(verifyAuditLog(db)).toEqual({
      ok: false,
      checked: 1,
      broken: { id: 2, reason: 'its content was changed' },
    });
  });

  it('finds an entry removed from the middle of the chain', () => {
    // PostgreSQL names the table of a trigger
    db.sqlite.exec(
      `DROP TRIGGER audit_log_no_delete${db.dialect === 'postgres' ? ' ON audit_log' : ''}`,
    );
    db.sqlite.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(verifyAuditLog(db)).toEqual({
      ok: false,
      checked: 1,
      broken: { id: 3, reason: 'entry 2 is missing' },
    });
  });
});
