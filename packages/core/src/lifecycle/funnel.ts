import { LIFECYCLE_STAGES, STAGE_LABELS, isLifecycleStage, type LifecycleStage } from './stages.js';
import type { Locale } from '../util/i18n.js';

/** One bar of the lifecycle funnel. */
export interface FunnelRow {
  readonly stage: LifecycleStage;
  readonly count: number;
  /** Share of all customers counted. */
  readonly share: number;
  /** Sum of AUM of the stage's customers (RMB), when known. */
  readonly aum: number;
}

/** Options for `lifecycleFunnel`. */
export interface FunnelOptions {
  /** Count only customers whose mask entry is 1 (e.g. one branch's customers). */
  readonly mask?: Uint8Array;
  /** AUM per customer, summed per stage. */
  readonly aum?: Float64Array | readonly number[];
}

/**
 * Customers per lifecycle stage for one period, in stage order, every stage present.
 * Customers not yet known in the period (NOT_LINKED) are not counted.
 * @example
 * lifecycleFunnel(stages).map((r) => [r.stage, r.count]);
 */
export function lifecycleFunnel(stages: Uint8Array, options: FunnelOptions = {}): FunnelRow[] {
  const counts = new Float64Array(LIFECYCLE_STAGES.length);
  const sums = new Float64Array(LIFECYCLE_STAGES.length);
  const { mask, aum } = options;
  for (let i = 0; i < stages.length; i++) {
    if (mask && mask[i] !== 1) continue;
    const s = stages[i] as number;
    if (s >= LIFECYCLE_STAGES.length) continue; // not yet a customer
    counts[s] = (counts[s] ?? 0) + 1;
    if (aum) sums[s] = (sums[s] ?? 0) + (aum[i] ?? 0);
  }
  return LIFECYCLE_STAGES.map((stage, k) => ({
    stage,
    count: counts[k] ?? 0,
    aum: sums[k] ?? 0,
    share: 0,
  })).map(withShares);
}

/**
 * The funnel for each group (e.g. branch) at once, in one pass over the customers.
 * @param groups the group id of each customer, aligned with `stages`
 */
export function lifecycleFunnelByGroup(
  stages: Uint8Array,
  groups: Int32Array | readonly number[],
  options: Pick<FunnelOptions, 'aum'> = {},
): Map<number, FunnelRow[]> {
  const acc = new Map<number, { counts: number[]; sums: number[] }>();
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i] as number;
    if (s >= LIFECYCLE_STAGES.length) continue; // not yet a customer
    const g = groups[i] as number;
    let entry = acc.get(g);
    if (!entry) {
      entry = { counts: LIFECYCLE_STAGES.map(() => 0), sums: LIFECYCLE_STAGES.map(() => 0) };
      acc.set(g, entry);
    }
    entry.counts[s] = (entry.counts[s] ?? 0) + 1;
    entry.sums[s] = (entry.sums[s] ?? 0) + (options.aum?.[i] ?? 0);
  }
  const out = new Map<number, FunnelRow[]>();
  for (const [g, { counts, sums }] of [...acc].sort((a, b) => a[0] - b[0])) {
    out.set(
      g,
      funnelFromCounts(
        LIFECYCLE_STAGES.map((stage, k) => ({ stage, count: counts[k] ?? 0, aum: sums[k] ?? 0 })),
      ),
    );
  }
  return out;
}

/**
 * Shapes per-stage counts from anywhere (an SQL GROUP BY, say) into a funnel: stage order,
 * missing stages as zero, shares computed. Unknown stage names are refused.
 */
export function funnelFromCounts(
  rows: readonly { readonly stage: string; readonly count: number; readonly aum?: number | null }[],
): FunnelRow[] {
  const byStage = new Map<LifecycleStage, { count: number; aum: number }>();
  for (const row of rows) {
    if (!isLifecycleStage(row.stage)) throw new RangeError(`Unknown lifecycle stage: ${row.stage}`);
    const prev = byStage.get(row.stage) ?? { count: 0, aum: 0 };
    byStage.set(row.stage, { count: prev.count + row.count, aum: prev.aum + (row.aum ?? 0) });
  }
  return LIFECYCLE_STAGES.map((stage) => ({
    stage,
    share: 0,
    ...(byStage.get(stage) ?? { count: 0, aum: 0 }),
  })).map(withShares);
}

function withShares(row: FunnelRow, _k: number, rows: readonly FunnelRow[]): FunnelRow {
  let total = 0;
  for (const r of rows) total += r.count;
  return { ...row, share: total === 0 ? 0 : row.count / total };
}

/** The label of a stage in a locale. */
export function stageLabel(stage: LifecycleStage, locale: Locale): string {
  return STAGE_LABELS[stage][locale];
}
