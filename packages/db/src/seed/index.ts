import { consentsOf, createDemoBank, type DemoBankOptions } from '@strata/demo-data';
import { prepareInsert } from '../bulk.js';
import { bumpDataVersion, rebuildMetricBlocks } from '../metric-blocks.js';
import {
  runInsightRefresh,
  type InsightRefreshResult,
  type InsightStep,
} from '../insight-refresh.js';
import { runLifecycleRefresh, type RefreshResult } from '../lifecycle-refresh.js';
import {
  customers,
  events,
  meta,
  monthlyMetrics,
  orgUnits,
  relationshipManagers,
} from '../schema/index.js';
import { insertStarterSegments } from '../queries/segments.js';
import type { StrataDb } from '../types.js';

/** Progress of a seed: which step, how far. */
export type SeedProgress = (
  step:
    'customers' | 'blocks' | 'load' | 'evaluate' | 'store' | `insight ${InsightStep | 'profiles'}`,
  done: number,
  total: number,
) => void;

/** What a seed did, with timings in milliseconds. */
export interface SeedResult {
  readonly customers: number;
  readonly metrics: number;
  readonly events: number;
  /** Consent records (customer × channel; no record means unknown). */
  readonly consents: number;
  readonly insertMs: number;
  readonly lifecycle: RefreshResult;
  readonly insight: InsightRefreshResult;
}

/** Customers per transaction: big enough to be fast, small enough to keep the WAL in check. */
const BATCH = 2_000;

/**
 * Loads a demo bank into an empty database, one transaction per batch, then runs the first
 * lifecycle and insight refreshes. Refuses a database that already holds customers.
 */
export function seedDemoBank(
  db: StrataDb,
  options: DemoBankOptions = {},
  onProgress?: SeedProgress,
  now?: () => Date,
): SeedResult {
  const existing = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (existing > 0)
    throw new Error(`The database already holds ${existing} customers; seed only an empty one.`);
  const bank = createDemoBank(options);
  const started = performance.now();
  const paths = new Map<number, string>();
  const insertUnit = prepareInsert(db.sqlite, orgUnits);
  const insertRm = prepareInsert(db.sqlite, relationshipManagers);
  db.sqlite.transaction(() => {
    for (const u of bank.orgUnits) {
      const path = `${u.parentId === null ? '/' : (paths.get(u.parentId) ?? '/')}${u.id}/`;
      paths.set(u.id, path);
      insertUnit({ ...u, path });
    }
    for (const m of bank.managers) insertRm(m);
    db.orm
      .insert(meta)
      .values({ key: 'demo_bank', value: JSON.stringify(bank.options) })
      .run();
    // The starter segment library ships with the demo.
    insertStarterSegments(db, now?.() ?? new Date());
  })();

  const insertCustomer = prepareInsert(db.sqlite, customers);
  const insertMetric = prepareInsert(db.sqlite, monthlyMetrics);
  const insertEvent = prepareInsert(db.sqlite, events, ['id']);
  const insertConsent = db.sqlite.prepare(
    'INSERT INTO customer_consents (customer_id, channel, consent, opted_out, source, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let consentCount = 0;
  let batch: ReturnType<typeof bank.customers> extends Generator<infer R> ? R[] : never = [];
  let count = 0;
  let metricCount = 0;
  let eventCount = 0;
  const flush = db.sqlite.transaction((records: typeof batch) => {
    for (const r of records) {
      insertCustomer(r.customer);
      for (const m of r.metrics) insertMetric(m);
      for (const e of r.events) insertEvent(e);
      for (const k of consentsOf(r, bank.options.seed)) {
        insertConsent.run(
          k.customerId,
          k.channel,
          k.consent,
          k.optedOut ? 1 : 0,
          k.source,
          k.updatedOn,
        );
        consentCount++;
      }
      metricCount += r.metrics.length;
      eventCount += r.events.length;
    }
  });
  for (const record of bank.customers()) {
    batch.push(record);
    if (batch.length === BATCH) {
      flush(batch);
      count += batch.length;
      batch = [];
      onProgress?.('customers', count, bank.size);
    }
  }
  flush(batch);
  count += batch.length;
  onProgress?.('customers', count, bank.size);
  const insertMs = Math.round(performance.now() - started);
  db.sqlite.transaction(() => bumpDataVersion(db))();
  rebuildMetricBlocks(db, onProgress && ((done, total) => onProgress('blocks', done, total)));
  const lifecycle = runLifecycleRefresh(db, {
    ...(onProgress && { onProgress }),
    ...(now && { now }),
  });
  const insight = runInsightRefresh(db, {
    // the server makes a large demo bank's ready profiles once it answers
    readyProfiles: false,
    ...(onProgress && {
      onProgress: (step, done, total) => onProgress(`insight ${step}`, done, total),
    }),
    ...(now && { now }),
  });
  return {
    customers: count,
    metrics: metricCount,
    events: eventCount,
    consents: consentCount,
    insertMs,
    lifecycle,
    insight,
  };
}
