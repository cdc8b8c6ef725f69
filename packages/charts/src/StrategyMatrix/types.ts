import type { ChartConfig } from '../config.js';

/** One cell of the strategy map: a row value (segment or tier) × a lifecycle stage. */
export interface StrategyMatrixCell {
  readonly row: string;
  readonly stage: string;
  readonly customers: number;
  readonly aum: number;
  /** Active strategies aimed at the cell (by key). */
  readonly strategies: readonly string[];
  /** Customers or value at stake and no active strategy. */
  readonly gap: boolean;
  /** Customers here are claimed by several strategies on one channel. */
  readonly collision?: boolean;
}

/** Props of the StrategyMatrix chart (策略图谱). */
export interface StrategyMatrixProps {
  readonly rows: readonly string[];
  readonly stages: readonly string[];
  readonly cells: readonly StrategyMatrixCell[];
  /** The stages' labels and colours. */
  readonly config: ChartConfig;
  readonly rowLabel?: (row: string) => string;
  /** What shades a cell: customers (square-root scale) or AUM (log scale, heavy-tailed). */
  readonly shadeBy?: 'customers' | 'aum';
  readonly title: string;
  readonly formatValue?: (v: number) => string;
  readonly formatMoney?: (v: number) => string;
  /** Words the chart shows: the gap badge, the collision mark, the strategies badge. */
  readonly labels: {
    readonly gap: string;
    readonly collision: string;
    readonly strategies: (n: number) => string;
  };
  /** The chosen cell, outlined. */
  readonly selected?: { readonly row: string; readonly stage: string } | null;
  readonly onselect?: (cell: StrategyMatrixCell) => void;
}
