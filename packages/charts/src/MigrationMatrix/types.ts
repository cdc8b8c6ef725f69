import type { ChartConfig } from '../config.js';

/** Props of the MigrationMatrix chart. `counts[a][b]`: customers from stage a to stage b. */
export interface MigrationMatrixProps {
  readonly stages: readonly string[];
  readonly counts: readonly (readonly number[])[];
  /** Per stage of the later period: customers who were not yet known before. */
  readonly arrivals?: readonly number[];
  readonly config: ChartConfig;
  readonly title: string;
  /** Header of the rows (e.g. "2026-09 ↓"). */
  readonly fromLabel: string;
  /** Header of the columns (e.g. "2026-10 →"). */
  readonly toLabel: string;
  /** Label of the arrivals row. */
  readonly arrivalsLabel: string;
  readonly formatValue?: (v: number) => string;
  /** Called with (from, to) when a cell is chosen; from is null for arrivals. */
  readonly onselect?: (from: string | null, to: string) => void;
}
