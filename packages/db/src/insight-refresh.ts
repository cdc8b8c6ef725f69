import { availableParallelism } from 'node:os';
import {
  DEFAULT_INSIGHT_CONFIG,
  lifecycleConfigOf,
  RuleError,
  parseRule,
  refreshInsight,
  refreshInsightChunks,
  enterpriseSizeCode,
  NO_TIER,
  type CustomerFacts,
  type InsightConfig,
  type InsightModel,
  type Period,
  type SegmentDefinition,
} from '@strata/core';
import { kmeansParallel } from '@strata/parallel';
import { loadFeatureInputs, loadPeriods } from './features.js';
import { currentBlocks, dataVersion, rebuildMetricBlocks } from './metric-blocks.js';
import { canTagInParallel, parallelInsightChunks } from './insight-parallel.js';
import { listSegments } from './queries/segments.js';
import { getBankSettings } from './settings.js';
import { customerColumns } from './columns-cache.js';
import { deepFreeze } from './freeze.js';
import { makeReadyProfiles, type ReadyProfilesResult } from './ready-profiles.js';
import { explainBusy } from './busy.js';
import type { StrataDb } from './types.js';
import {
  beginInsightRun,
  completeInsightRun,
  failInsightRun,
  type InsightStep,
  type InsightSummary,
} from './insight-store.js';

export { beginInsightRun, completeInsightRun, failInsightRun };
export type { InsightStep, InsightSummary };

/** Options for `runInsightRefresh`. */
export interface InsightRefreshOptions {
  /** The month to refresh. @default the latest month with snapshots */
  readonly period?: Period;
  /** @default DEFAULT_INSIGHT_CONFIG with the database's saved segments */
  readonly config?: InsightConfig;
  /** Customers read per chunk (from rows). @default the metric blocks' chunks */
  readonly chunkSize?: number;
  /**
   * Worker threads that read and tag the customers' blocks (a SQLite file only; 0: this thread
   * does). @default the machine's available parallelism from 100,000 customers on, else 0
   */
  readonly threads?: number;
  /** The clock, for the run's timestamps. @default () => new Date() */
  readonly now?: () => Date;
  readonly onProgress?: (step: InsightStep | 'profiles', done: number, total: number) => void;
  /**
   * Make every customer's profile ahead of time after the run is stored (`makeReadyProfiles`).
   * @default true from `READY_PROFILES_FROM` customers on
   */
  readonly readyProfiles?: boolean;
}

/** From this many customers a refresh makes the ready profiles by default. */
export const READY_PROFILES_FROM = 100_000;

/** What an insight refresh did. */
export interface InsightRefreshResult {
  readonly runId: number;
  readonly period: Period;
  readonly customers: number;
  readonly timings: Readonly<Record<string, number>>;
  /** The ready profiles made after the run, if asked for. */
  readonly profiles?: ReadyProfilesResult;
  /** Why the ready profiles could not be made (the run is stored; profiles are explained live). */
  readonly profilesError?: string;
}

/** The saved segments as definitions the engine runs. */
export function savedSegmentDefinitions(db: StrataDb): SegmentDefinition[] {
  return listSegments(db).map((s) => {
    const check = parseRule(JSON.parse(s.rule));
    if (!check.ok)
      throw new RuleError(
        check.issues.map((i) => ({ ...i, message: `segment ${s.key}: ${i.message}` })),
      );
    return {
      key: s.key,
      name: { 'zh-CN': s.name, en: s.nameEn },
      description: { 'zh-CN': s.description, en: s.description },
      rule: check.rule,
      priority: s.priority,
      exclusive: s.exclusive,
    };
  });
}

/** The member customer ids (ascending) of a segment in a run; empty if none or unknown. */
export function getSegmentMembers(db: StrataDb, runId: number, segmentKey: string): Int32Array {
  const row = db.sqlite
    .prepare('SELECT ids FROM insight_segment_members WHERE run_id = ? AND segment_key = ?')
    .get(runId, segmentKey) as { ids: Buffer } | undefined;
  if (!row) return new Int32Array(0);
  const out = new Int32Array(row.ids.byteLength / 4);
  new Uint8Array(out.buffer).set(row.ids);
  return out;
}

/**
 * The insight configuration a refresh runs with by default: the bank's settings (lifecycle
 * thresholds, ladders) and saved segments over the defaults.
 */
export function defaultInsightConfig(db: StrataDb): InsightConfig {
  const settings = getBankSettings(db);
  return {
    ...DEFAULT_INSIGHT_CONFIG,
    lifecycle: lifecycleConfigOf(settings),
    retailLadder: settings.retailLadder,
    corporateLadder: settings.corporateLadder,
    segments: savedSegmentDefinitions(db),
  };
}

/**
 * Runs the whole insight refresh for one month and stores it as a new run: per-customer tags,
 * segment memberships, (dimension × stage × sub-branch) aggregates, and the model that explains
 * them. One transaction: a failure leaves the run marked failed and earlier runs untouched.
 */
export function runInsightRefresh(
  db: StrataDb,
  options: InsightRefreshOptions = {},
): InsightRefreshResult {
  const now = options.now ?? (() => new Date());
  const periods = loadPeriods(db);
  const period = refreshPeriod(periods, options.period);
  const config = options.config ?? defaultInsightConfig(db);
  const runId = beginInsightRun(db, period, config, now);
  try {
    const total = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    const started = performance.now();
    // The columnar copy of the snapshots, rebuilt once after the data changed.
    if (!currentBlocks(db, periods))
      rebuildMetricBlocks(db, (done, all) => options.onProgress?.('blocks', done, all));
    const blocksMs = Math.round(performance.now() - started);
    // Every customer the run has was read from the customers table at this version.
    const version = dataVersion(db);
    options.onProgress?.('load', 0, total);
    const refreshOptions = {
      onChunk: (done: number) => options.onProgress?.('load', done, total),
      // Worker threads pay off from about a hundred thousand points.
      ...(total >= 100_000 && {
        kmeans: kmeansParallel,
        allocatePoints: (bytes: number) => new SharedArrayBuffer(bytes),
      }),
    };
    // A large bank's blocks are read and tagged by worker threads, a share each.
    const blocks = options.chunkSize === undefined ? currentBlocks(db, periods) : null;
    const threads = options.threads ?? (total >= 100_000 ? availableParallelism() : 0);
    const result =
      blocks && threads > 0 && canTagInParallel(db)
        ? refreshInsightChunks(
            parallelInsightChunks(db, blocks, version, period, config, threads),
            config,
            refreshOptions,
          )
        : refreshInsight(
            loadFeatureInputs(
              db,
              period,
              options.chunkSize ? { chunkSize: options.chunkSize } : {},
            ),
            config,
            refreshOptions,
          );
    const timings = completeInsightRun(db, runId, result, {
      now,
      customersReadAt: version,
      timings: {
        blocks: blocksMs,
        loadAndCompute: Math.round(performance.now() - started) - blocksMs,
      },
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    if (!(options.readyProfiles ?? total >= READY_PROFILES_FROM))
      return { runId, period, customers: result.size, timings };
    try {
      const profiles = makeReadyProfiles(db, {
        runId,
        threads,
        now,
        onProgress: (done, all) => options.onProgress?.('profiles', done, all),
      });
      return { runId, period, customers: result.size, timings, profiles };
    } catch (caught) {
      const error = explainBusy(caught);
      const profilesError = error instanceof Error ? error.message : String(error);
      return { runId, period, customers: result.size, timings, profilesError };
    }
  } catch (caught) {
    throw failInsightRun(db, runId, caught, now);
  }
}

/** The month a refresh is for: the one asked, or the latest; refused if it has no snapshots. */
export function refreshPeriod(periods: readonly Period[], asked?: Period): Period {
  const period = asked ?? periods[periods.length - 1];
  if (!period || !periods.includes(period))
    throw new RangeError(`No monthly data for ${period ?? 'any month'}`);
  return period;
}

/**
 * Every customer's own attributes an insight run needs besides its tags, by ascending id:
 * org unit, retail or not, enterprise size (see `insightRunFromTags`).
 */
export function loadCustomerFacts(db: StrataDb): CustomerFacts & { customerIds: Int32Array } {
  // ids and org units from the kept columns (`customerColumns`), line and size from the kind
  // index: a scan of the table reads every customer's every column (1M: 1.6–2.1 s).
  const { customers, unitIds } = customerColumns(db);
  const n = customers.ids.length;
  const facts = {
    customerIds: customers.ids,
    orgUnitIds: unitIds,
    retail: new Uint8Array(n),
    enterpriseSize: new Uint8Array(n).fill(NO_TIER),
  };
  for (const id of db.sqlite
    .prepare("SELECT id FROM customers INDEXED BY customers_kind WHERE kind = 'retail'")
    .pluck()
    .iterate() as Iterable<number>)
    facts.retail[customers.at(id)] = 1;
  const corporate = db.sqlite
    .prepare(
      "SELECT id, industry_code, employees, revenue FROM customers INDEXED BY customers_kind WHERE kind = 'corporate' AND industry_code IS NOT NULL",
    )
    .raw()
    .all() as [number, string, number | null, number | null][];
  for (const [id, industry, employees, revenue] of corporate)
    facts.enterpriseSize[customers.at(id)] = enterpriseSizeCode(
      industry,
      employees ?? Number.NaN,
      revenue ?? Number.NaN,
    );
  return facts;
}

/** A stored run's header. */
export interface InsightRunRow {
  readonly id: number;
  readonly period: Period;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly customers: number;
  readonly timings: Readonly<Record<string, number>> | null;
  readonly error: string | null;
}

type HeaderRow = Omit<InsightRunRow, 'timings'> & { timings: string | null };
const parseHeader = (r: HeaderRow): InsightRunRow => ({
  ...r,
  timings: r.timings ? (JSON.parse(r.timings) as Record<string, number>) : null,
});

/** Every insight run, newest first. */
export function listInsightRuns(db: StrataDb, limit = 50): InsightRunRow[] {
  return (
    db.sqlite
      .prepare(
        `SELECT id, period, status, started_at AS startedAt, finished_at AS finishedAt, customers, timings, error
         FROM insight_runs ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as HeaderRow[]
  ).map(parseHeader);
}

/** Parsed runs, per database: a succeeded run never changes. */
const runCache = new WeakMap<
  StrataDb,
  Map<number, InsightRunRow & { model: InsightModel; summary: InsightSummary }>
>();

/**
 * The latest succeeded run (of a month, if given), with its model and summary. A succeeded run
 * never changes, so its parsed model and summary are kept (per database, the last 8): asked on
 * nearly every request, they cost more to parse than the rest of most answers.
 */
export function getLatestInsightRun(
  db: StrataDb,
  period?: Period,
): (InsightRunRow & { model: InsightModel; summary: InsightSummary }) | undefined {
  const id = db.sqlite
    .prepare(
      "SELECT max(id) FROM insight_runs WHERE status = 'succeeded' AND (? IS NULL OR period = ?)",
    )
    .pluck()
    .get(period ?? null, period ?? null) as number | null;
  if (id === null) return undefined;
  const cache = runCache.get(db) ?? new Map();
  runCache.set(db, cache);
  const hit = cache.get(id);
  if (hit) return hit;
  const row = db.sqlite
    .prepare(
      `SELECT id, period, status, started_at AS startedAt, finished_at AS finishedAt, customers, timings, error, model, summary
       FROM insight_runs WHERE id = ?`,
    )
    .get(id) as HeaderRow & { model: string; summary: string };
  const { model, summary, ...rest } = row;
  const run = deepFreeze({
    ...parseHeader(rest),
    model: JSON.parse(model) as InsightModel,
    summary: JSON.parse(summary) as InsightSummary,
  });
  cache.set(id, run);
  if (cache.size > 8) cache.delete(cache.keys().next().value as number);
  return run;
}
