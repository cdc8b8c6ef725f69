import { insightRunFromTags, type InsightConfig, type Period } from '@strata/core';
import {
  beginInsightRun,
  completeInsightRun,
  defaultInsightConfig,
  failInsightRun,
  loadCustomerFacts,
  loadPeriods,
  refreshPeriod,
  type StrataDb,
} from '@strata/db';
import { runPushdown, type Warehouse } from './pushdown.js';

/** Options for `pushdownRefresh`. */
export interface PushdownRefreshOptions {
  /** The month to refresh. @default the latest month with snapshots */
  readonly period?: Period;
  /** @default the bank's settings and saved segments (`defaultInsightConfig`) */
  readonly config?: InsightConfig;
  readonly now?: () => Date;
  /** Called as the steps start: `pushdown` (the warehouse runs the SQL), then `store`. */
  readonly onStep?: (step: 'pushdown' | 'store') => void;
}

/** What a pushed-down refresh did. */
export interface PushdownRefreshResult {
  readonly runId: number;
  readonly period: Period;
  readonly customers: number;
  readonly warehouse: string;
  /** Bytes the warehouse sent back, where its protocol tells. */
  readonly bytes: number | null;
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The insight refresh in pushdown mode: the warehouse evaluates lifecycle stages, value and risk
 * tiers and every rule segment as SQL compiled from the same definitions (`runPushdown`), only
 * the memberships come back, and they are stored in Strata's database as an insight run like any
 * other — per-customer tags, segment members, primary segments, overlap, the strategy map's
 * aggregates. The run's model names the warehouse (`model.source`). RFM, Pareto classes and
 * clusters need every customer's features in memory, so a pushed-down run has none.
 *
 * The warehouse must hold the same customers as Strata (`loadFrom` copies them, or the bank's
 * own pipeline does); a warehouse that does not is refused with the first difference, and the
 * run is marked failed.
 *
 * @example
 * const duck = await openDuckDb('data/warehouse.duckdb');
 * await duck.loadFrom(db);
 * const { runId } = await pushdownRefresh(db, duck);
 */
export async function pushdownRefresh(
  db: StrataDb,
  warehouse: Warehouse,
  options: PushdownRefreshOptions = {},
): Promise<PushdownRefreshResult> {
  const now = options.now ?? (() => new Date());
  const periods = loadPeriods(db);
  const period = refreshPeriod(periods, options.period);
  const config = options.config ?? defaultInsightConfig(db);
  const runId = beginInsightRun(db, period, config, now);
  try {
    options.onStep?.('pushdown');
    const pushed = await runPushdown(warehouse, config, { asOf: period, periods });
    const started = performance.now();
    const facts = loadCustomerFacts(db);
    const ids = pushed.tags.customerIds;
    const mismatch = firstDifference(ids, facts.customerIds);
    if (mismatch !== null)
      throw new Error(
        `The warehouse (${warehouse.name}) holds ${ids.length} customers and Strata ${facts.customerIds.length}; ${mismatch}. Load the warehouse again from Strata's database (strata-warehouse load) before refreshing.`,
      );
    const run = insightRunFromTags(
      {
        ...pushed.tags,
        members: config.segments.map((s) => pushed.tags.members.get(s.key) as Uint8Array),
      },
      facts,
      config,
      period,
      warehouse.name,
    );
    options.onStep?.('store');
    const timings = completeInsightRun(db, runId, run, {
      now,
      timings: {
        pushdown: Math.round(pushed.ms),
        assemble: Math.round(performance.now() - started),
      },
    });
    return {
      runId,
      period,
      customers: run.size,
      warehouse: warehouse.name,
      bytes: pushed.bytes,
      timings,
    };
  } catch (caught) {
    throw failInsightRun(db, runId, caught, now);
  }
}

/** Where two ascending id lists first differ, in words; null when equal. */
function firstDifference(warehouse: Int32Array, strata: Int32Array): string | null {
  const n = Math.min(warehouse.length, strata.length);
  for (let i = 0; i < n; i++)
    if (warehouse[i] !== strata[i]) {
      const w = warehouse[i] as number;
      const s = strata[i] as number;
      return w < s
        ? `customer ${w} is in the warehouse but not in Strata`
        : `customer ${s} is in Strata but not in the warehouse`;
    }
  if (warehouse.length === strata.length) return null;
  return warehouse.length > n
    ? `customer ${warehouse[n]} is in the warehouse but not in Strata`
    : `customer ${strata[n]} is in Strata but not in the warehouse`;
}
