import type { ListSummary, ModelSelection } from '@strata/core';
import type { StrataDb } from '../types.js';
import { scopeCondition, type Scope } from './customers.js';

/** The model that chose within a list's audience, and how many it had to choose from. */
export interface ListModel {
  readonly scorer: string;
  readonly version: string;
  readonly select: ModelSelection['select'];
  readonly compare: boolean;
  /** The audience's customers, those the channel could contact now, and those the model scored. */
  readonly audience: number;
  readonly eligible: number;
  readonly scored: number;
}

/** A stored list as the API shows it. */
export interface ListRow {
  readonly id: number;
  readonly strategyKey: string;
  readonly version: number;
  readonly period: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly summary: ListSummary;
  readonly model: ListModel | null;
}

/** A strategy's lists, newest first (or every strategy's). */
export function listLists(
  db: StrataDb,
  filter: { readonly strategyKey?: string; readonly limit?: number } = {},
): ListRow[] {
  const ids = db.sqlite
    .prepare(
      `SELECT l.id FROM strategy_lists l JOIN strategies s ON s.id = l.strategy_id
       WHERE (? IS NULL OR s.key = ?) ORDER BY l.id DESC LIMIT ?`,
    )
    .pluck()
    .all(filter.strategyKey ?? null, filter.strategyKey ?? null, filter.limit ?? 50) as number[];
  return ids.map((id) => getList(db, id) as ListRow);
}

/** One stored list, or undefined. */
export function getList(db: StrataDb, id: number): ListRow | undefined {
  const row = db.sqlite
    .prepare(
      `SELECT l.id, s.key AS strategyKey, l.version, l.period, l.created_by AS createdBy, l.created_at AS createdAt, l.summary, l.model
       FROM strategy_lists l JOIN strategies s ON s.id = l.strategy_id WHERE l.id = ?`,
    )
    .get(id) as
    (Omit<ListRow, 'summary' | 'model'> & { summary: string; model: string | null }) | undefined;
  return (
    row && {
      ...row,
      summary: JSON.parse(row.summary) as ListSummary,
      model: row.model === null ? null : (JSON.parse(row.model) as ListModel),
    }
  );
}

/** A list's entries the caller may see (their scope applied in the query), with masked-free ids. */
export function getListEntries(
  db: StrataDb,
  id: number,
  scope: Scope,
  page: { limit: number; offset: number } = { limit: 100, offset: 0 },
): {
  customerId: number;
  externalId: string;
  arm: string;
  rmCode: string | null;
  orgUnitCode: string;
  selection: string | null;
  score: number | null;
}[] {
  const where = scopeCondition(scope);
  return db.sqlite
    .prepare(
      `SELECT e.customer_id AS customerId, c.external_id AS externalId, e.arm, r.code AS rmCode, u.code AS orgUnitCode,
         e.selection, e.score
       FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN relationship_managers r ON r.id = e.rm_id
       WHERE e.list_id = ? AND ${where.sql} ORDER BY e.customer_id LIMIT ? OFFSET ?`,
    )
    .all(id, ...where.params, page.limit, page.offset) as ReturnType<typeof getListEntries>;
}
