import { NOT_LINKED } from '../lifecycle/frame.js';
import { LIFECYCLE_STAGES } from '../lifecycle/stages.js';
import type { InsightAggregate, InsightDimension } from './types.js';

/** One grouping of customers: a code per customer (out of range = not in it) and the labels. */
export interface DimensionCodes {
  readonly dimension: InsightDimension;
  readonly codes: ArrayLike<number>;
  readonly labels: readonly string[];
}

/** Customers and value per (dimension value, stage, org unit), for customers known this month. */
export function aggregate(a: {
  n: number;
  universe: Uint8Array;
  stage: Uint8Array;
  orgUnitIds: Int32Array;
  value: (i: number) => number;
  dimensions: readonly DimensionCodes[];
  segments: readonly { key: string; members: Uint8Array }[];
}): InsightAggregate[] {
  const units = [...new Set(a.orgUnitIds)].sort((x, y) => x - y);
  const unitIndex = new Map(units.map((u, k) => [u, k]));
  const unitOf = Int32Array.from(a.orgUnitIds, (u) => unitIndex.get(u) as number);
  const S = LIFECYCLE_STAGES.length;
  const out: InsightAggregate[] = [];
  const tally = (
    dimension: InsightDimension,
    labels: readonly string[],
    codeOf: (i: number) => number,
  ) => {
    const V = labels.length;
    const counts = new Float64Array(units.length * V * S);
    const sums = new Float64Array(units.length * V * S);
    for (let i = 0; i < a.n; i++) {
      const s = a.stage[i] as number;
      if (a.universe[i] !== 1 || s === NOT_LINKED) continue;
      const v = codeOf(i);
      if (v < 0 || v >= V) continue;
      const cell = ((unitOf[i] as number) * V + v) * S + s;
      counts[cell] = (counts[cell] as number) + 1;
      const x = a.value(i);
      if (!Number.isNaN(x)) sums[cell] = (sums[cell] as number) + x;
    }
    for (let u = 0; u < units.length; u++)
      for (let v = 0; v < V; v++)
        for (let s = 0; s < S; s++) {
          const cell = (u * V + v) * S + s;
          const customers = counts[cell] as number;
          if (customers > 0)
            out.push({
              dimension,
              value: labels[v] as string,
              orgUnitId: units[u] as number,
              stage: LIFECYCLE_STAGES[s] as string,
              customers,
              aum: sums[cell] as number,
            });
        }
  };
  for (const seg of a.segments) tally('segment', [seg.key], (i) => (seg.members[i] === 1 ? 0 : -1));
  for (const d of a.dimensions) tally(d.dimension, d.labels, (i) => d.codes[i] as number);
  return out;
}
