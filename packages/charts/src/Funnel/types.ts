import type { ChartConfig } from '../config.js';

/** Props of the Funnel chart: data in, accessors to read it, nothing fetched. */
export interface FunnelProps<T> {
  /** One element per bar, in the order drawn (top to bottom). */
  readonly data: readonly T[];
  /** The series key of a bar: looks up its label and colour in `config`. */
  readonly key: (d: T) => string;
  /** The bar's value (e.g. customers). */
  readonly value: (d: T) => number;
  readonly config: ChartConfig;
  /** A heading for assistive technology, and the chart's accessible name. */
  readonly title: string;
  /** Formats a value for the label after the bar. @default String */
  readonly formatValue?: (v: number) => string;
  /** A second figure shown after the value (e.g. the share or AUM). */
  readonly detail?: (d: T) => string;
  /** Width in pixels before the container is measured. @default 640 */
  readonly width?: number;
  /** Called when a bar is chosen (click, Enter or Space). */
  readonly onselect?: (d: T) => void;
}

/** Where one bar sits: derived from the data, so it can be tested without a DOM. */
export interface FunnelBar<T> {
  readonly datum: T;
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly value: number;
  readonly y: number;
  readonly width: number;
}
