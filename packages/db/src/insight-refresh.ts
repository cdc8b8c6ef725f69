import { availableParallelism } from 'node:os';
import {
  DEFAULT_INSIGHT_CONFIG,
  lifecycleConfigOf,
  LIFECYCLE_REASONS,
  LIFECYCLE_STAGES,
  NOT_LINKED,
  PARETO_CLASSES,
  SIZES,
  RuleError,
  parseRule,
  refreshInsight,
  refreshInsightChunks,
  enterpriseSizeCode,
  NO_TIER,
  type CustomerFacts,
  type InsightConfig,
  type InsightModel,
  type InsightRun,
  type Period,
  type SegmentDefinition,
} from '@strata/core';
import { kmeansParallel } from '@strata/parallel';
import { eq } from 'drizzle-orm';
import { loadFeatureInputs, loadPeriods } from './features.js';
import { currentBlocks, dataVersion, rebuildMetricBlocks } from './metric-blocks.js';
import { canTagInParallel, parallelInsightChunks } from './insight-parallel.js';
import { listSegments } from './queries/segments.js';
import { insightRuns } from './schema/index.js';
import { getBankSettings } from './settings.js';
import { explainBusy } from './busy.js';
import { withTrustedReferences } from './foreign-keys.js';
import { customerColumns } from './columns-cache.js';
import { deepFreeze } from './freeze.js';
import type { StrataDb } from './types.js';

/** The steps of an insight refresh, for progress reporting. */
export type InsightStep = 'blocks' | 'load' | 'compute' | 'store';

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
  readonly onProgress?: (step: InsightStep, done: number, total: number) => void;
}

/** What an insight refresh did. */
export interface InsightRefreshResult {
  readonly runId: number;
  readonly period: Period;
  readonly customers: number;
  readonly timings: Readonly<Record<string, number>>;
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

/** A run's summary: what dashboards read without touching per-customer rows. */
export interface InsightSummary {
  readonly segments: readonly {
    key: string;
    count: number;
    effectiveCount: number;
    primaryCount: number;
  }[];
  readonly overlap: InsightRun['overlap'];
  readonly clusters: InsightRun['clusterProfiles'];
}

const CUSTOMER_COLUMNS =
  'run_id, customer_id, stage, stage_reason, previous_stage, value_tier, contribution_tier, risk_tier, enterprise_size, rfm_r, rfm_f, rfm_m, pareto, cluster, primary_segment, segments';
/** Rows per INSERT: fewer statements, far fewer round trips into SQLite. */
const ROWS_PER_INSERT = 128;

function storeRun(db: StrataDb, runId: number, run: InsightRun, onRow: (done: number) => void) {
  const width = CUSTOMER_COLUMNS.split(',').length;
  const placeholders = (rows: number) =>
    Array.from(
      { length: rows },
      () => `(${Array.from({ length: width }, () => '?').join(', ')})`,
    ).join(', ');
  const insertMany = db.sqlite.prepare(
    `INSERT INTO insight_customers (${CUSTOMER_COLUMNS}) VALUES ${placeholders(ROWS_PER_INSERT)}`,
  );
  const insertOne = db.sqlite.prepare(
    `INSERT INTO insight_customers (${CUSTOMER_COLUMNS}) VALUES ${placeholders(1)}`,
  );
  const members = db.sqlite.prepare(
    'INSERT INTO insight_segment_members (run_id, segment_key, count, ids) VALUES (?, ?, ?, ?)',
  );
  const agg = db.sqlite.prepare(
    'INSERT INTO insight_agg (run_id, dimension, value, org_unit_id, stage, customers, aum) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const { config } = run.model;
  const name = <T>(list: readonly T[], code: number, f: (x: T) => string) => {
    const x = list[code];
    return x === undefined ? null : f(x);
  };
  const keys = run.segments.map((seg) => seg.key);
  const batch: unknown[] = [];
  for (let i = 0; i < run.size; i++) {
    if (run.universe[i] !== 1 || run.stage[i] === NOT_LINKED) continue;
    const previous = run.previousStage[i] as number;
    let segments = '';
    for (let k = 0; k < keys.length; k++)
      if (run.segments[k]?.members[i] === 1) segments += segments ? ` ${keys[k]}` : keys[k];
    batch.push(
      runId,
      run.customerIds[i],
      LIFECYCLE_STAGES[run.stage[i] as number],
      LIFECYCLE_REASONS[run.stageReason[i] as number],
      previous === NOT_LINKED ? null : LIFECYCLE_STAGES[previous],
      name(config.retailLadder, run.aumTier[i] as number, (r) => r.id),
      name(config.corporateLadder, run.corporateTier[i] as number, (r) => r.id),
      name(config.riskTiers, run.riskTier[i] as number, (r) => r.id),
      name(SIZES, run.enterpriseSize[i] as number, (x) => x),
      // 0: no score (a customer without the figures; everyone in a pushed-down run)
      run.rfm.r[i],
      run.rfm.f[i],
      run.rfm.m[i],
      name(PARETO_CLASSES, run.pareto[i] as number, (x) => x),
      run.cluster[i] === -1 ? null : run.cluster[i],
      name(config.segments, run.primary[i] as number, (x) => x.key),
      segments || null,
    );
    if (batch.length === width * ROWS_PER_INSERT) {
      insertMany.run(...batch);
      batch.length = 0;
    }
    if ((i & 8191) === 0) onRow(i);
  }
  for (let at = 0; at < batch.length; at += width) insertOne.run(...batch.slice(at, at + width));
  for (const seg of run.segments) {
    const ids = new Int32Array(seg.count);
    let at = 0;
    for (let i = 0; i < run.size; i++)
      if (seg.members[i] === 1) ids[at++] = run.customerIds[i] as number;
    ids.sort();
    members.run(runId, seg.key, seg.count, Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
  }
  for (const a of run.aggregates)
    agg.run(runId, a.dimension, a.value, a.orgUnitId, a.stage, a.customers, a.aum);
  onRow(run.size);
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
    return { runId, period, customers: result.size, timings };
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
 * Records a new insight run of a month as running and returns its id; a database another
 * writer holds gives a clear error and records nothing. Finish it with `completeInsightRun` or
 * `failInsightRun` (`runInsightRefresh` does all three; a warehouse pushdown computes the run
 * elsewhere in between).
 */
export function beginInsightRun(
  db: StrataDb,
  period: Period,
  config: InsightConfig,
  now: () => Date = () => new Date(),
): number {
  try {
    return db.orm
      .insert(insightRuns)
      .values({
        period,
        startedAt: now().toISOString(),
        status: 'running',
        config: JSON.stringify(config),
      })
      .returning({ id: insightRuns.id })
      .get().id;
  } catch (error) {
    throw explainBusy(error); // another writer holds the database: no run was recorded
  }
}

/**
 * Stores a computed run (per-customer tags, memberships, aggregates, model and summary) and
 * marks it succeeded, in one transaction; returns the timings recorded with it.
 */
export function completeInsightRun(
  db: StrataDb,
  runId: number,
  result: InsightRun,
  options: {
    readonly now?: () => Date;
    /** Timings measured before the store (added to the run's own). */
    readonly timings?: Readonly<Record<string, number>>;
    /**
     * The data version (`dataVersion`) at which every customer id of the run was read from the
     * customers table. Given, the rows are stored without SQLite's per-row foreign-key lookup
     * (a million lookups, ~0.5 s at 1M) when the version is still current in the write
     * transaction — nothing about customers changed since — and checked in one query otherwise.
     */
    readonly customersReadAt?: number;
    readonly onProgress?: (step: InsightStep, done: number, total: number) => void;
  } = {},
): Record<string, number> {
  const now = options.now ?? (() => new Date());
  const computed = performance.now();
  options.onProgress?.('compute', 1, 1);
  const summary: InsightSummary = {
    segments: result.segments.map(({ key, count, effectiveCount, primaryCount }) => ({
      key,
      count,
      effectiveCount,
      primaryCount,
    })),
    overlap: result.overlap,
    clusters: result.clusterProfiles,
  };
  let timings: Record<string, number> = {};
  const store = (unchecked: boolean) =>
    db.sqlite.transaction(() => {
      storeRun(db, runId, result, (done) => options.onProgress?.('store', done, result.size));
      if (unchecked && dataVersion(db) !== options.customersReadAt) {
        const missing = db.sqlite
          .prepare(
            'SELECT ic.customer_id FROM insight_customers ic LEFT JOIN customers c ON c.id = ic.customer_id WHERE ic.run_id = ? AND c.id IS NULL LIMIT 1',
          )
          .pluck()
          .get(runId) as number | undefined;
        if (missing !== undefined)
          throw new Error(
            `Customer ${missing} was removed while the refresh ran; nothing was stored. Run the refresh again.`,
          );
      }
      timings = {
        ...result.timings,
        ...options.timings,
        store: Math.round(performance.now() - computed),
      };
      db.orm
        .update(insightRuns)
        .set({
          status: 'succeeded',
          finishedAt: now().toISOString(),
          model: JSON.stringify(result.model),
          summary: JSON.stringify(summary),
          customers: result.size,
          timings: JSON.stringify(timings),
        })
        .where(eq(insightRuns.id, runId))
        .run();
    })();
  // Without the per-row lookups only when the caller says when it read the customers.
  if (options.customersReadAt === undefined) store(false);
  else withTrustedReferences(db, store);
  return timings;
}

/** Marks a run failed with the error's message; returns the error to throw (busy explained). */
export function failInsightRun(
  db: StrataDb,
  runId: number,
  caught: unknown,
  now: () => Date = () => new Date(),
): unknown {
  const error = explainBusy(caught);
  try {
    db.orm
      .update(insightRuns)
      .set({
        status: 'failed',
        finishedAt: now().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      })
      .where(eq(insightRuns.id, runId))
      .run();
  } catch {
    // still locked: the run stays 'running' and the next start marks it failed
  }
  return error;
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
