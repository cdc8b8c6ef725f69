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
}

function emptyCounts(): number[][] {
  return LIFECYCLE_STAGES.map(() => LIFECYCLE_STAGES.map(() => 0));
}

function finish(counts: number[][]): MigrationMatrix {
  const fromTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const toTotals = LIFECYCLE_STAGES.map((_, b) => counts.reduce((a, row) => a + (row[b] ?? 0), 0));
  return {
    stages: LIFECYCLE_STAGES,
    counts,
    fromTotals,
    toTotals,
    total: fromTotals.reduce((a, b) => a + b, 0),
    stayed: counts.reduce((a, row, k) => a + (row[k] ?? 0), 0),
  };
}

/**
 * The migration matrix between two aligned arrays of stage codes (the same customers,
 * two periods).
 * @example migrationMatrix(stages[0], stages[12]).counts[stageCode('growth')][stageCode('mature')]
 */
export function migrationMatrix(from: Uint8Array, to: Uint8Array, mask?: Uint8Array): MigrationMatrix {
  if (from.length !== to.length) throw new RangeError('from and to must cover the same customers');
  const counts = emptyCounts();
  for (let i = 0; i < from.length; i++) {
    if (mask && mask[i] !== 1) continue;
    const row = counts[from[i] as number];
    if (row) row[to[i] as number] = (row[to[i] as number] ?? 0) + 1;
  }
  return finish(counts);
}

/** Shapes (from, to, count) rows from anywhere (an SQL GROUP BY, say) into a migration matrix. */
export function migrationFromCounts(
  rows: readonly { readonly from: string; readonly to: string; readonly count: number }[],
): MigrationMatrix {
  const counts = emptyCounts();
  for (const r of rows) {
    if (!isLifecycleStage(r.from) || !isLifecycleStage(r.to)) {
      throw new RangeError(`Unknown lifecycle stage in migration row: ${r.from} → ${r.to}`);
    }
    const row = counts[LIFECYCLE_STAGES.indexOf(r.from)];
    const b = LIFECYCLE_STAGES.indexOf(r.to);
    if (row) row[b] = (row[b] ?? 0) + r.count;
  }
  return finish(counts);
}
