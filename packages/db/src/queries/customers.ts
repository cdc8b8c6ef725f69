import { maskIdNumber, maskName, maskPhone } from '@strata/core';
import { appendAudit } from '../audit.js';
import type { Role } from '../schema/auth.js';
import type { StrataDb } from '../types.js';

/** Whose customers a caller may see: the whole bank, a branch subtree, or one RM's book. */
export interface Scope {
  readonly role: Role;
  readonly orgUnitId: number | null;
  readonly rmId: number | null;
  /**
   * A narrowing inside the role's view, from an embed token: only this org unit's subtree, or
   * only these customers. Both are intersected with the role's scope, never widen it.
   */
  readonly within?: { readonly orgUnitId?: number; readonly customerIds?: readonly number[] };
}

/**
 * The caller's scope as a SQL condition on `customers` (aliased `c`) joined to its org unit
 * (aliased `u`), with its parameters: applied in the query itself, never by filtering after.
 */
export function scopeCondition(scope: Scope): { readonly sql: string; readonly params: unknown[] } {
  const role = roleCondition(scope);
  const within = scope.within;
  if (!within) return role;
  const parts = [role.sql];
  const params = [...role.params];
  if (within.orgUnitId !== undefined) {
    parts.push("u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%'");
    params.push(within.orgUnitId);
  }
  if (within.customerIds !== undefined) {
    parts.push('c.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))');
    params.push(JSON.stringify(within.customerIds));
  }
  return { sql: parts.map((p) => `(${p})`).join(' AND '), params };
}

function roleCondition(scope: Scope): { readonly sql: string; readonly params: unknown[] } {
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
  /** The relationship manager's code (what portals know the RM by), if the customer has one. */
  readonly rmCode: string | null;
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
         c.org_unit_id AS orgUnitId, c.rm_id AS rmId, r.code AS rmCode
       FROM customers c JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN relationship_managers r ON r.id = c.rm_id
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
  // an embed token's org unit is checked to lie inside the role's root when the token is read
  if (scope.within?.orgUnitId !== undefined) return scope.within.orgUnitId;
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

/** A row of the customer search: who (masked), where, and the latest run's tags. */
export interface CustomerSearchRow {
  readonly id: number;
  readonly externalId: string;
  readonly kind: 'retail' | 'corporate';
  /** A person's name masked to the surname; a firm's name in full. */
  readonly name: string;
  readonly branch: { readonly code: string; readonly name: string; readonly nameEn: string };
  readonly stage: string | null;
  readonly valueTier: string | null;
  readonly primarySegment: string | null;
  /** AUM (monthly average) in the run's month. */
  readonly aum: number | null;
}

/** What the customer search filters on; every filter is optional. */
export interface CustomerSearch {
  /**
   * A customer number (its beginning), or a surname (one or two characters): a name is masked to
   * its surname, so only the surname can be searched.
   */
  readonly q?: string;
  /** An org unit: its subtree (within the caller's scope still). */
  readonly orgUnitId?: number;
  readonly kind?: 'retail' | 'corporate';
  readonly stage?: string;
  /** The stage the month before (`none`: customers new this month): the migration's drill-down. */
  readonly previousStage?: string;
  readonly valueTier?: string;
  /** Customers in this segment (any of their segments). */
  readonly segment?: string;
}

/**
 * Customers in the caller's scope matching the filters, against insight run `runId` (its stage,
 * tier, segments and month), a page at a time, personal data masked, with the total count.
 */
export function searchCustomers(
  db: StrataDb,
  scope: Scope,
  run: { readonly id: number; readonly period: string },
  filter: CustomerSearch,
  page: { readonly limit: number; readonly offset: number },
): { readonly total: number; readonly rows: CustomerSearchRow[] } {
  const where = scopeCondition(scope);
  const conditions = [where.sql];
  const params: unknown[] = [...where.params];
  const q = filter.q?.trim();
  if (q) {
    if ([...q].length <= 2 && !/^[\w-]+$/.test(q)) {
      conditions.push("c.kind = 'retail' AND c.name LIKE ? || '%'");
      params.push(q);
    } else {
      conditions.push(
        "(c.external_id LIKE ? || '%' OR (c.kind = 'corporate' AND c.name LIKE '%' || ? || '%'))",
      );
      params.push(q, q);
    }
  }
  if (filter.orgUnitId !== undefined) {
    conditions.push("u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%'");
    params.push(filter.orgUnitId);
  }
  if (filter.kind) {
    conditions.push('c.kind = ?');
    params.push(filter.kind);
  }
  if (filter.stage) {
    conditions.push('ic.stage = ?');
    params.push(filter.stage);
  }
  if (filter.previousStage) {
    conditions.push(
      filter.previousStage === 'none' ? 'ic.previous_stage IS NULL' : 'ic.previous_stage = ?',
    );
    if (filter.previousStage !== 'none') params.push(filter.previousStage);
  }
  if (filter.valueTier) {
    conditions.push('ic.value_tier = ?');
    params.push(filter.valueTier);
  }
  if (filter.segment) {
    conditions.push("(' ' || ic.segments || ' ') LIKE '% ' || ? || ' %'");
    params.push(filter.segment);
  }
  const from = `FROM customers c JOIN org_units u ON u.id = c.org_unit_id
    LEFT JOIN insight_customers ic ON ic.run_id = ? AND ic.customer_id = c.id
    WHERE ${conditions.join(' AND ')}`;
  const total = db.sqlite
    .prepare(`SELECT count(*) ${from}`)
    .pluck()
    .get(run.id, ...params) as number;
  const rows = db.sqlite
    .prepare(
      `SELECT c.id, c.external_id AS externalId, c.kind, c.name, u.code AS branchCode, u.name AS branchName,
         u.name_en AS branchNameEn, ic.stage, ic.value_tier AS valueTier, ic.primary_segment AS primarySegment,
         (SELECT m.aum_avg FROM monthly_metrics m WHERE m.customer_id = c.id AND m.period = ?) AS aum
       ${from} ORDER BY c.id LIMIT ? OFFSET ?`,
    )
    .all(run.period, run.id, ...params, page.limit, page.offset) as (Omit<
    CustomerSearchRow,
    'branch'
  > & { branchCode: string; branchName: string; branchNameEn: string })[];
  return {
    total,
    rows: rows.map(({ branchCode, branchName, branchNameEn, ...r }) => ({
      ...r,
      name: r.kind === 'retail' ? maskName(r.name) : r.name,
      branch: { code: branchCode, name: branchName, nameEn: branchNameEn },
    })),
  };
}

/** A customer's places on lists, with the strategy, arm and recorded outcome (newest first). */
export function customerListEntries(
  db: StrataDb,
  scope: Scope,
  customerId: number,
): {
  listId: number;
  strategyKey: string;
  strategyName: string;
  period: string;
  arm: string;
  channel: string;
  selection: string | null;
  contacted: number | null;
  converted: number | null;
  declined: number | null;
  amount: number | null;
  occurredOn: string | null;
}[] {
  if (!getCustomerCard(db, scope, customerId)) return [];
  return db.sqlite
    .prepare(
      `SELECT l.id AS listId, s.key AS strategyKey, json_extract(v.definition, '$.name') AS strategyName, l.period,
         e.arm, e.channel, e.selection, o.contacted, o.converted, o.declined, o.amount, o.occurred_on AS occurredOn
       FROM list_entries e JOIN strategy_lists l ON l.id = e.list_id JOIN strategies s ON s.id = l.strategy_id
       JOIN strategy_versions v ON v.strategy_id = s.id AND v.version = l.version
       LEFT JOIN list_outcomes o ON o.list_id = e.list_id AND o.customer_id = e.customer_id
       WHERE e.customer_id = ? ORDER BY l.id DESC LIMIT 50`,
    )
    .all(customerId) as ReturnType<typeof customerListEntries>;
}

/** Corporate deposits in a month by structure: what is settlement money and what costs more. */
export interface DepositStructure {
  readonly period: string;
  readonly customers: number;
  /** Average daily deposits (日均存款). */
  readonly deposits: number;
  /** Settlement (current-account) deposits: cheap, sticky. */
  readonly settlement: number;
  /** High-cost deposits (structured, negotiated rates). */
  readonly highCost: number;
}

/**
 * The deposit structure of the corporate customers in the caller's scope (and an org unit's
 * subtree, if given) for a month, summed in the query.
 */
export function corporateDeposits(
  db: StrataDb,
  scope: Scope,
  period: string,
  orgUnitId?: number | null,
): DepositStructure {
  const where = scopeCondition(scope);
  const row = db.sqlite
    .prepare(
      `SELECT count(*) AS customers, coalesce(sum(m.deposits_avg), 0) AS deposits,
         coalesce(sum(m.settlement_deposits), 0) AS settlement, coalesce(sum(m.high_cost_deposits), 0) AS highCost
       FROM monthly_metrics m JOIN customers c ON c.id = m.customer_id JOIN org_units u ON u.id = c.org_unit_id
       WHERE m.period = ? AND c.kind = 'corporate' AND ${where.sql}
         AND (? IS NULL OR u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')`,
    )
    .get(period, ...where.params, orgUnitId ?? null, orgUnitId ?? null) as Omit<
    DepositStructure,
    'period'
  >;
  return { period, ...row };
}
