import type { CustomerProfile, InsightDimension, InsightModel } from '@strata/core';
import { loadFeatureInput } from '../features.js';
import { getLatestInsightRun } from '../insight-refresh.js';
import {
  profileBodyMaker,
  type ProfileBody,
  type ProfileEvent,
  type ProfileMonth,
  type StoredTags,
} from '../profile-pages.js';
import { readyProfile } from '../ready-profiles.js';
import { scopeCondition, type Scope } from './customers.js';
import type { StrataDb } from '../types.js';

export type { StoredTags };

/** Customers and value of one (dimension value × stage) cell. */
export interface InsightCellRow {
  readonly value: string;
  readonly stage: string;
  readonly customers: number;
  readonly aum: number;
}

/**
 * The (value × stage) matrix of a dimension in a run, for an org unit's subtree or the whole
 * bank, from the run's precomputed per-sub-branch aggregates.
 */
export function getInsightMatrix(
  db: StrataDb,
  filter: {
    readonly runId: number;
    readonly dimension: InsightDimension;
    readonly orgUnitId?: number | undefined;
  },
): InsightCellRow[] {
  return db.sqlite
    .prepare(
      `SELECT a.value AS value, a.stage AS stage, sum(a.customers) AS customers, sum(a.aum) AS aum
       FROM insight_agg a JOIN org_units u ON u.id = a.org_unit_id
       WHERE a.run_id = ? AND a.dimension = ?
         AND (? IS NULL OR u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')
       GROUP BY a.value, a.stage ORDER BY a.value, a.stage`,
    )
    .all(
      filter.runId,
      filter.dimension,
      filter.orgUnitId ?? null,
      filter.orgUnitId ?? null,
    ) as InsightCellRow[];
}

/** A customer's profile as the API serves it: who (no personal data), the tags with their why, history. */
export interface CustomerProfileView extends CustomerProfile {
  readonly runId: number;
  readonly externalId: string;
  readonly orgUnitId: number;
  readonly branch: {
    readonly id: number;
    readonly code: string;
    readonly name: string;
    readonly nameEn: string;
  };
  /** What the run stored: equals the recomputed tags unless the data changed since the run. */
  readonly stored: StoredTags | null;
  /** Month-end figures for sparklines, oldest first. */
  readonly history: readonly ProfileMonth[];
  /** The latest events (newest first). */
  readonly events: readonly ProfileEvent[];
}

/** A customer's profile body explained now, from the customer's data and the run's model. */
function liveBody(
  db: StrataDb,
  run: { readonly id: number; readonly period: string; readonly model: InsightModel },
  customerId: number,
): ProfileBody {
  const input = loadFeatureInput(db, run.period, { customerIds: [customerId] });
  return profileBodyMaker(db.sqlite, input, run.id, run.model)(0);
}

/**
 * One customer's profile (客户画像) against the latest succeeded insight run (of a month, if
 * given): every tag with its why, recomputed from this customer's data and the run's model —
 * or, for a large bank, read ready-made (`makeReadyProfiles`: made from the same data with the
 * same model, so equal as JSON carries it — a growth from zero, Infinity, is null there; used
 * only while the customer data is unchanged since). Undefined if there is no such customer or
 * no run, or — with a `scope` — if the customer is outside it (the scope is applied in the
 * query, as everywhere).
 */
export function getCustomerProfile(
  db: StrataDb,
  customerId: number,
  period?: string,
  scope?: Scope,
): CustomerProfileView | undefined {
  const run = getLatestInsightRun(db, period);
  if (!run) return undefined;
  const where = scope ? scopeCondition(scope) : { sql: '1 = 1', params: [] };
  const who = db.sqlite
    .prepare(
      `SELECT c.external_id AS externalId, c.org_unit_id AS orgUnitId, u.id AS unitId, u.code AS code, u.name AS name, u.name_en AS nameEn
       FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.id = ? AND ${where.sql}`,
    )
    .get(customerId, ...where.params) as
    | {
        externalId: string;
        orgUnitId: number;
        unitId: number;
        code: string;
        name: string;
        nameEn: string;
      }
    | undefined;
  if (!who) return undefined;
  // Made ahead of time for a large bank (`makeReadyProfiles`), while the data is as it was.
  const { stored, history, events, ...profile } =
    readyProfile(db, run.id, customerId) ?? liveBody(db, run, customerId);
  return {
    ...profile,
    runId: run.id,
    externalId: who.externalId,
    orgUnitId: who.orgUnitId,
    branch: { id: who.unitId, code: who.code, name: who.name, nameEn: who.nameEn },
    stored,
    history,
    events,
  };
}
