// The strategy map's collisions: customers whom two or more active strategies on one channel
// would claim, per map cell, counted from the audiences over the run's in-memory columns.
import {
  NO_SEGMENT,
  dayOf,
  periodEndDay,
  type Channel,
  type Collision,
  type LifecycleStage,
  type Period,
} from '@strata/core';
import { inSubtree, runColumn, runCustomers } from './columns-cache.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { CELL_COLUMNS, audienceMembers } from './audiences.js';
import { dataVersion } from './metric-blocks.js';
import { StrategyError, type StrategyRow } from './strategies.js';
import type { StrataDb } from './types.js';

/** What the collisions are counted for. */
export interface OverlapOptions {
  readonly runId: number;
  readonly period: Period;
  readonly dimension: string;
  readonly orgUnitId?: number | null;
  readonly strategies: readonly StrategyRow[];
  readonly now?: Date;
}

/** Overlaps computed recently, per database: the key names everything they depend on. */
const overlapCache = new WeakMap<StrataDb, Map<string, Collision[]>>();
const OVERLAP_CACHE_SIZE = 32;

/**
 * The collisions of the strategy map counted from the audiences: per cell (a dimension's value ×
 * the stage in insight run `runId`) and channel, the customers whom two or more active strategies
 * on that channel would claim, rule audiences included, within an org unit's subtree if given.
 *
 * Counting them reads every audience (about 1.4 s for a million customers), so the result is
 * remembered until something it depends on changes: the run, the month's latest run, the
 * dimension, the org unit, the day, the customer data (`data_version`, bumped by every import
 * and event) or an active strategy (key, version, status, last change).
 */
export function audienceOverlaps(db: StrataDb, options: OverlapOptions): Collision[] {
  const today = Math.min(
    dayOf((options.now ?? new Date()).toISOString().slice(0, 10)),
    periodEndDay(options.period),
  );
  const key = JSON.stringify([
    options.runId,
    getLatestInsightRun(db, options.period)?.id ?? null,
    options.period,
    options.dimension,
    options.orgUnitId ?? null,
    today,
    dataVersion(db),
    options.strategies
      .filter((s) => s.status === 'active')
      .map((s) => [s.key, s.currentVersion, s.status, s.updatedAt]),
  ]);
  const cache = overlapCache.get(db) ?? new Map<string, Collision[]>();
  overlapCache.set(db, cache);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const result = countOverlaps(db, options);
  cache.set(key, result);
  if (cache.size > OVERLAP_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return result;
}

function countOverlaps(db: StrataDb, options: OverlapOptions): Collision[] {
  const column = CELL_COLUMNS[options.dimension];
  if (!column) throw new StrategyError(`No map dimension "${options.dimension}".`, 'BAD_REQUEST');
  const today = Math.min(
    dayOf((options.now ?? new Date()).toISOString().slice(0, 10)),
    periodEndDay(options.period),
  );
  const byChannel = new Map<Channel, StrategyRow[]>();
  for (const s of options.strategies)
    if (s.status === 'active' && s.definition.audience.kind !== 'event')
      byChannel.set(s.definition.channel, [...(byChannel.get(s.definition.channel) ?? []), s]);
  // Counted over the run's in-memory columns (`columns-cache.ts`): claims per customer as
  // counts by position in the run, then the cells of those claimed twice or more.
  const run = runCustomers(db, options.runId);
  const rows = runColumn(db, options.runId, column);
  const stages = runColumn(db, options.runId, 'stage');
  const scoped = inSubtree(db, options.orgUnitId);
  const inScope = scoped && ((at: number) => scoped(run.ids[at] as number));
  const n = run.ids.length;
  const S = stages.values.length;
  const R = rows.values.length + 1; // the last: no value (NO_SEGMENT for primary)
  const out: Collision[] = [];
  for (const [channel, strategies] of byChannel) {
    if (strategies.length < 2) continue;
    const positions = strategies.map((s) => {
      const members = audienceMembers(db, s.definition, options.period, today);
      const at = new Int32Array(members.length);
      let k = 0;
      for (const id of members) {
        const p = run.at(id);
        if (p >= 0) at[k++] = p;
      }
      return at.subarray(0, k);
    });
    const claims = new Uint16Array(n);
    for (const at of positions) for (const p of at) claims[p] = (claims[p] as number) + 1;
    // the cell of a customer claimed twice or more (in scope, with a value), -1 otherwise
    const cellOf = (p: number) => {
      if ((claims[p] as number) < 2 || (inScope && !inScope(p))) return -1;
      const code = rows.codes[p] as number;
      const stage = stages.codes[p] as number;
      if (stage < 0 || (code < 0 && column !== 'primary_segment')) return -1;
      return (code < 0 ? R - 1 : code) * S + stage;
    };
    const customers = new Int32Array(R * S);
    for (let p = 0; p < n; p++) {
      const cell = cellOf(p);
      if (cell >= 0) customers[cell] = (customers[cell] as number) + 1;
    }
    const keys = new Map<number, Set<string>>();
    strategies.forEach((s, k) => {
      for (const p of positions[k] as Int32Array) {
        const cell = cellOf(p);
        if (cell < 0) continue;
        const set = keys.get(cell) ?? new Set<string>();
        set.add(s.key);
        keys.set(cell, set);
      }
    });
    for (const [cell, set] of [...keys].sort((a, b) => a[0] - b[0])) {
      const r = Math.floor(cell / S);
      out.push({
        row: r === R - 1 ? NO_SEGMENT : (rows.values[r] as string),
        stage: stages.values[cell % S] as LifecycleStage,
        channel,
        customers: customers[cell] as number,
        strategies: [...set].sort(),
      });
    }
  }
  return out;
}
