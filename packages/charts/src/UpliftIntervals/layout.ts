import { scaleLinear } from 'd3-scale';

/** One estimate with its confidence interval (e.g. a strategy's conversion uplift). */
export interface IntervalRow {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly ci: readonly [number, number];
}

/** Where each interval sits on a shared axis that always shows zero ("no effect"). */
export function layoutIntervals(
  rows: readonly IntervalRow[],
  width: number,
): {
  x: (v: number) => number;
  ticks: number[];
  rows: { row: IntervalRow; lo: number; hi: number; at: number; sign: 'up' | 'down' | 'unclear' }[];
} {
  const lo = Math.min(0, ...rows.map((r) => r.ci[0]));
  const hi = Math.max(0, ...rows.map((r) => r.ci[1]));
  const scale = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .range([0, width])
    .nice();
  return {
    x: (v) => scale(v),
    ticks: scale.ticks(5),
    rows: rows.map((row) => ({
      row,
      lo: scale(row.ci[0]),
      hi: scale(row.ci[1]),
      at: scale(row.value),
      sign: row.ci[0] > 0 ? 'up' : row.ci[1] < 0 ? 'down' : 'unclear',
    })),
  };
}
