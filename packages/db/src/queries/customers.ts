import { maskIdNumber, maskName, maskPhone } from '@strata/core';
import { appendAudit } from '../audit.js';
import type { Role } from '../schema/auth.js';
import type { StrataDb } from '../types.js';

/** Whose customers a caller may see: the whole bank, a branch subtree, or one RM's book. */
export interface Scope {
  readonly role: Role;
  readonly orgUnitId: number | null;
  readonly rmId: number | null;
}

/**
 * The caller's scope as a SQL condition on `customers` (aliased `c`) joined to its org unit
 * (aliased `u`), with its parameters: applied in the query itself, never by filtering after.
 */
export function scopeCondition(scope: Scope): { readonly sql: string; readonly params: unknown[] } {
  switch (scope.role) {
    case 'admin':
    case 'strategist':
    case 'viewer':
      return { sql: '1 = 1', params: [] };
    case 'branch_manager':
      return {
        sql: "u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%'",
        params: [scope.orgUnitId ?? -1],
      };
    case 'relationship_manager':
      return { sql: 'c.rm_id = ?', params: [scope.rmId ?? -1] };
  }
}

/** A customer as a caller sees one: personal data masked. */
export interface CustomerCard {
  readonly id: number;
  readonly externalId: string;
  readonly kind: 'retail' | 'corporate';
  /** A person's name masked to the surname; a firm's name in full (not personal data). */
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string | null;
  readonly orgUnitId: number;
  readonly rmId: number | null;
}

/** One customer within the caller's scope, masked; undefined when absent or out of scope alike. */
export function getCustomerCard(
  db: StrataDb,
  scope: Scope,
  customerId: number,
): CustomerCard | undefined {
  const where = scopeCondition(scope);
  const row = db.sqlite
    .prepare(
      `SELECT c.id, c.external_id AS externalId, c.kind, c.name, c.id_number AS idNumber, c.phone,
         c.org_unit_id AS orgUnitId, c.rm_id AS rmId
       FROM customers c JOIN org_units u ON u.id = c.org_unit_id
       WHERE c.id = ? AND ${where.sql}`,
    )
    .get(customerId, ...where.params) as CustomerCard | undefined;
  if (!row) return undefined;
  return {
    ...row,
    name: row.kind === 'retail' ? maskName(row.name) : row.name,
    idNumber: maskIdNumber(row.idNumber), // a firm's credit code too: identifiers stay masked
    phone: row.phone === null ? null : maskPhone(row.phone),
  };
}

/** The personal fields that may be revealed. */
export const REVEALABLE = ['name', 'idNumber', 'phone'] as const;
export type RevealableField = (typeof REVEALABLE)[number];

/**
 * One personal field of one customer in the caller's scope, unmasked, with the reason and the
 * caller recorded in the audit log in the same transaction. Undefined when out of scope.
 */
export function revealCustomerField(
  db: StrataDb,
  request: {
    readonly scope: Scope;
    readonly actor: string;
    readonly origin: string | null;
    readonly customerId: number;
    readonly field: RevealableField;
    readonly reason: string;
  },
  now: Date = new Date(),
): string | null | undefined {
  const column = { name: 'c.name', idNumber: 'c.id_number', phone: 'c.phone' }[request.field];
  const where = scopeCondition(request.scope);
  return db.sqlite.transaction(() => {
    const row = db.sqlite
      .prepare(
        `SELECT ${column} AS value FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.id = ? AND ${where.sql}`,
      )
      .get(request.customerId, ...where.params) as { value: string | null } | undefined;
    if (!row) return undefined;
    appendAudit(
      db,
      {
        actor: request.actor,
        action: 'unmask',
        target: `customer:${request.customerId}`,
        detail: { field: request.field, reason: request.reason },
        origin: request.origin,
      },
      now,
    );
    return row.value;
  })();
}

/**
 * The org unit whose subtree bounds what a caller sees in aggregates (funnels, matrices): null
 * for the bank-wide roles, the branch of a branch manager, the unit of a relationship manager.
 */
export function scopeRoot(db: StrataDb, scope: Scope): number | null {
  switch (scope.role) {
    case 'admin':
    case 'strategist':
    case 'viewer':
      return null;
    case 'branch_manager':
      return scope.orgUnitId ?? -1;
    case 'relationship_manager':
      return (
        (db.sqlite
          .prepare('SELECT org_unit_id FROM relationship_managers WHERE id = ?')
          .pluck()
          .get(scope.rmId ?? -1) as number | undefined) ?? -1
      );
  }
}

/** Is org unit `unitId` inside the subtree of `rootId` (itself included)? */
export function isWithinOrgUnit(db: StrataDb, unitId: number, rootId: number): boolean {
  return (
    db.sqlite
      .prepare(
        "SELECT 1 FROM org_units u, org_units r WHERE u.id = ? AND r.id = ? AND u.path LIKE r.path || '%'",
      )
      .get(unitId, rootId) !== undefined
  );
}
