import { explainCustomer, type CustomerProfile, type InsightDimension } from '@strata/core';
import { loadFeatureInput } from '../features.js';
import { getLatestInsightRun } from '../insight-refresh.js';
import { scopeCondition, type Scope } from './customers.js';
import type { StrataDb } from '../types.js';

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

/** The tags a run stored for one customer (codes as text). */
export interface StoredTags {
  readonly stage: string;
  readonly stageReason: string;
  readonly previousStage: string | null;
  readonly valueTier: string | null;
  readonly contributionTier: string | null;
  readonly riskTier: string | null;
  readonly enterpriseSize: string | null;
  readonly rfm: readonly [number, number, number];
  readonly pareto: string | null;
  readonly cluster: number | null;
  readonly primarySegment: string | null;
  readonly segments: readonly string[];
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
  readonly history: readonly {
    readonly period: string;
    readonly aum: number;
    readonly deposits: number;
    readonly productTypes: number;
    readonly activeTxnCount: number;
  }[];
  /** The latest events (newest first). */
  readonly events: readonly {
    readonly type: string;
    readonly occurredOn: string;
    readonly amount: number | null;
  }[];
}

/**
 * One customer's profile (客户画像) against the latest succeeded insight run (of a month, if
 * given): every tag with its why, recomputed from this customer's data and the run's model.
 * Undefined if there is no such customer or no run, or — with a `scope` — if the customer is
 * outside it (the scope is applied in the query, as everywhere).
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
  const input = loadFeatureInput(db, run.period, { customerIds: [customerId] });
  const profile = explainCustomer(input, 0, run.model);
  const row = db.sqlite
    .prepare(
      `SELECT stage, stage_reason AS stageReason, previous_stage AS previousStage, value_tier AS valueTier,
         contribution_tier AS contributionTier, risk_tier AS riskTier, enterprise_size AS enterpriseSize,
         rfm_r AS r, rfm_f AS f, rfm_m AS m, pareto, cluster, primary_segment AS primarySegment, segments
       FROM insight_customers WHERE run_id = ? AND customer_id = ?`,
    )
    .get(run.id, customerId) as
    | (Omit<StoredTags, 'rfm' | 'segments'> & {
        r: number;
        f: number;
        m: number;
        segments: string | null;
      })
    | undefined;
  const segments = row?.segments ? row.segments.split(' ').sort() : [];
  // The months up to the run's, from the snapshots just read (every metric is NOT NULL: a
  // month without a snapshot is the only NaN).
  const { monthly } = input;
  const history: CustomerProfileView['history'] = input.periods.flatMap((p, t) =>
    p <= run.period && !Number.isNaN(monthly.aum_avg[t] as number)
      ? [
          {
            period: p,
            aum: monthly.aum_avg[t] as number,
            deposits: monthly.deposits_avg[t] as number,
            productTypes: monthly.product_types[t] as number,
            activeTxnCount: monthly.active_txn_count[t] as number,
          },
        ]
      : [],
  );
  const events = db.sqlite
    .prepare(
      `SELECT type, occurred_on AS occurredOn, amount FROM events
       WHERE customer_id = ? ORDER BY occurred_on DESC, id DESC LIMIT 30`,
    )
    .all(customerId) as CustomerProfileView['events'];
  const stored: StoredTags | null = row
    ? {
        stage: row.stage,
        stageReason: row.stageReason,
        previousStage: row.previousStage,
        valueTier: row.valueTier,
        contributionTier: row.contributionTier,
        riskTier: row.riskTier,
        enterpriseSize: row.enterpriseSize,
        rfm: [row.r, row.f, row.m],
        pareto: row.pareto,
        cluster: row.cluster,
        primarySegment: row.primarySegment,
        segments,
      }
    : null;
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
