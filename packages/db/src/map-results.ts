// The strategy map's per-cell results: each strategy's listed customers by the map cell they
// were in when listed, treatment against control.
import { NO_SEGMENT } from '@strata/core';
import { CELL_COLUMNS } from './audiences.js';
import { inSubtree, listColumns, runColumn, runCustomers } from './columns-cache.js';
import { part, type ArmResult, type PartReview } from './review.js';
import { StrategyError } from './strategies.js';
import type { StrataDb } from './types.js';

/** One strategy's results among the customers of one map cell (their cell when listed). */
export interface MapCellResult extends PartReview {
  readonly row: string;
  readonly stage: string;
  readonly strategy: string;
}

/**
 * The per-cell results on the strategy map: for every active or paused strategy, its listed
 * customers grouped by the cell (a dimension's value × stage) they were in when listed — in the
 * latest succeeded insight run of the list's month — treatment against control, within an org
 * unit's subtree if given (a branch sees its own customers' results; a customer counts where
 * their branch is now). Customers the run has no row for, or no value of the dimension (no
 * cluster, say), are in no cell; for `primary`, customers in no segment are in NO_SEGMENT.
 *
 * Counted over in-memory columns of the runs and lists (`columns-cache.ts`: a run never changes,
 * a list only grows and is checked against its `summary.listed`), outcomes read fresh.
 */
export function mapCellResults(
  db: StrataDb,
  options: { readonly dimension: string; readonly orgUnitId?: number | null },
): MapCellResult[] {
  const column = CELL_COLUMNS[options.dimension];
  if (!column) throw new StrategyError(`No map dimension "${options.dimension}".`, 'BAD_REQUEST');
  const lists = db.sqlite
    .prepare(
      `SELECT l.id, s.key, l.period, json_extract(l.summary, '$.listed') FROM strategies s
       JOIN strategy_lists l ON l.strategy_id = s.id
       WHERE s.status IN ('active', 'paused') ORDER BY l.id`,
    )
    .raw()
    .all() as [number, string, string, number][];
  const runOf = new Map(
    db.sqlite
      .prepare(
        "SELECT period, max(id) FROM insight_runs WHERE status = 'succeeded' GROUP BY period",
      )
      .raw()
      .all() as [string, number][],
  );
  // the scope: the customers whose branch is in the subtree now
  const inScope = inSubtree(db, options.orgUnitId);
  const convertedStmt = db.sqlite
    .prepare('SELECT customer_id FROM list_outcomes WHERE list_id = ? AND converted <> 0')
    .pluck();
  const cells = new Map<
    string,
    { strategy: string; row: string; stage: string; t: ArmResult; c: ArmResult }
  >();
  for (const [listId, strategy, period, listed] of lists) {
    const runId = runOf.get(period);
    if (runId === undefined) continue;
    const run = runCustomers(db, runId);
    const rows = runColumn(db, runId, column);
    const stages = runColumn(db, runId, 'stage');
    const entries = listColumns(db, listId, listed);
    const converted = new Set(convertedStmt.all(listId) as number[]);
    // counts per (row value, stage, arm): n and converted
    const R = rows.values.length + 1; // the last: no value (NO_SEGMENT for primary)
    const S = stages.values.length;
    const counts = new Int32Array(R * S * 4);
    const { customerIds, treatment } = entries;
    for (let k = 0; k < customerIds.length; k++) {
      const id = customerIds[k] as number;
      const at = run.at(id);
      if (at < 0 || (inScope && !inScope(id))) continue;
      const code = rows.codes[at] as number;
      const stage = stages.codes[at] as number;
      if (stage < 0) continue;
      const cell = ((code < 0 ? R - 1 : code) * S + stage) * 4 + (treatment[k] as number) * 2;
      counts[cell] = (counts[cell] as number) + 1;
      if (converted.has(id)) counts[cell + 1] = (counts[cell + 1] as number) + 1;
    }
    for (let r = 0; r < R; r++) {
      const row =
        r < R - 1 ? (rows.values[r] as string) : column === 'primary_segment' ? NO_SEGMENT : null;
      if (row === null) continue;
      for (let st = 0; st < S; st++)
        for (let arm = 0; arm < 2; arm++) {
          const at = (r * S + st) * 4 + arm * 2;
          const n = counts[at] as number;
          if (n === 0) continue;
          const stage = stages.values[st] as string;
          const key = `${strategy}\u0000${row}\u0000${stage}`;
          const cell = cells.get(key) ?? {
            strategy,
            row,
            stage,
            t: { n: 0, converted: 0 },
            c: { n: 0, converted: 0 },
          };
          const side = arm === 1 ? 't' : 'c';
          cell[side] = {
            n: cell[side].n + n,
            converted: cell[side].converted + (counts[at + 1] as number),
          };
          cells.set(key, cell);
        }
    }
  }
  return [...cells.values()]
    .map((x) => ({
      row: x.row,
      stage: x.stage,
      strategy: x.strategy,
      ...part(x.t.n > 0 ? x.t : undefined, x.c.n > 0 ? x.c : undefined),
    }))
    .sort(
      (a, b) =>
        a.row.localeCompare(b.row) ||
        a.stage.localeCompare(b.stage) ||
        a.strategy.localeCompare(b.strategy),
    );
}
