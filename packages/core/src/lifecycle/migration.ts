import { LIFECYCLE_STAGES, isLifecycleStage, type LifecycleStage } from './stages.js';

/**
 * Who moved where between two periods: `counts[a][b]` customers were in stage `a` in the
 * first period and in stage `b` in the second. Rows and columns follow LIFECYCLE_STAGES.
 */
export interface MigrationMatrix {
  readonly stages: readonly LifecycleStage[];
  readonly counts: readonly (readonly number[])[];
  /** Customers per stage in the first period (row sums). */
  readonly fromTotals: readonly number[];
  /** Customers per stage in the second period (column sums). */
  readonly toTotals: readonly number[];
  readonly total: number;
  /** Customers in the same stage in both periods. */
  readonly stayed: number;
  /** Per stage of the second period: customers who were not yet known in the first (new arrivals). */
  readonly arrivals: readonly number[];
}

function emptyCounts(): number[][] {
  return LIFECYCLE_STAGES.map(() => LIFECYCLE_STAGES.map(() => 0));
}

function finish(counts: number[][], arrivals: number[]): MigrationMatrix {
  const fromTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const toTotals = LIFECYCLE_STAGES.map((_, b) => counts.reduce((a, row) => a + (row[b] ?? 0), 0));
  return {
    stages: LIFECYCLE_STAGES,
    counts,
    fromTotals,
    toTotals,
    total: fromTotals.reduce((a, b) => a + b, 0),
    stayed: counts.reduce((a, row, k) => a + (row[k] ?? 0), 0),
    arrivals,
  };
}

/**
 * The migration matrix between two aligned arrays of stage codes (the same customers,
 * two periods).
 * @example migrationMatrix(stages[0], stages[12]).counts[stageCode('growth')][stageCode('mature')]
 */
export function migrationMatrix(
  from: Uint8Array,
  to: Uint8Array,
  mask?: Uint8Array,
): MigrationMatrix {
  if (from.length !== to.length) throw new RangeError('from and to must cover the same customers');
  const counts = emptyCounts();
  const arrivals = LIFECYCLE_STAGES.map(() => 0);
  const known = LIFECYCLE_STAGES.length;
  for (let i = 0; i < from.length; i++) {
    if (mask && mask[i] !== 1) continue;
    const a = from[i] as number;
    const b = to[i] as number;
    if (b >= known) continue; // not a customer in the second period
    if (a >= known) arrivals[b] = (arrivals[b] ?? 0) + 1;
    else {
      const row = counts[a];
      if (row) row[b] = (row[b] ?? 0) + 1;
    }
  }
  return finish(counts, arrivals);
}

/**
 * Shapes (from, to, count) rows from anywhere (an SQL GROUP BY, say) into a migration matrix.
 * A row with `from: null` counts customers who were not yet known in the first period.
 */
export function migrationFromCounts(
  rows: readonly { readonly from: string | null; readonly to: string; readonly count: number }[],
): MigrationMatrix {
  const counts = emptyCounts();
  const arrivals = LIFECYCLE_STAGES.map(() => 0);
  for (const r of rows) {
    if (r.from === null && isLifecycleStage(r.to)) {
      const b = LIFECYCLE_STAGES.indexOf(r.to);
      arrivals[b] = (arrivals[b] ?? 0) + r.count;
      continue;
    }
    if (r.from === null || !isLifecycleStage(r.from) || !isLifecycleStage(r.to)) {
      throw new RangeError(`Unknown lifecycle stage in migration row: ${r.from} → ${r.to}`);
    }
    const row = counts[LIFECYCLE_STAGES.indexOf(r.from)];
    const b = LIFECYCLE_STAGES.indexOf(r.to);
    if (row) row[b] = (row[b] ?? 0) + r.count;
  }
  return finish(counts, arrivals);
}

/**
 * The migration matrix of each group (e.g. sub-branch) at once, in one pass.
 * @param groups the group id of each customer, aligned with `from` and `to`
 */
export function migrationMatrixByGroup(
  from: Uint8Array,
  to: Uint8Array,
  groups: Int32Array | readonly number[],
): Map<number, MigrationMatrix> {
  if (from.length !== to.length) throw new RangeError('from and to must cover the same customers');
  const known = LIFECYCLE_STAGES.length;
  const acc = new Map<number, { counts: number[][]; arrivals: number[] }>();
  for (let i = 0; i < to.length; i++) {
    const b = to[i] as number;
    if (b >= known) continue;
    const g = groups[i] as number;
    let entry = acc.get(g);
    if (!entry) {
      entry = { counts: emptyCounts(), arrivals: LIFECYCLE_STAGES.map(() => 0) };
      acc.set(g, entry);
    }
    const a = from[i] as number;
    if (a >= known) entry.arrivals[b] = (entry.arrivals[b] ?? 0) + 1;
    else {
      const row = entry.counts[a];
      if (row) row[b] = (row[b] ?? 0) + 1;
    }
  }
  const out = new Map<number, MigrationMatrix>();
  for (const [g, { counts, arrivals }] of [...acc].sort((x, y) => x[0] - y[0]))
    out.set(g, finish(counts, arrivals));
  return out;
}
