import { max } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import type { ChartConfig } from '../config.js';
import type { FunnelBar } from './types.js';

/** Sizes of the funnel's parts, in pixels. */
export const FUNNEL_METRICS = { rowHeight: 34, gap: 8, labelWidth: 96, valueWidth: 210 } as const;

/**
 * Lays out the bars: a linear scale from zero, so bar lengths compare honestly across stages.
 */
export function layoutFunnel<T>(
  data: readonly T[],
  key: (d: T) => string,
  value: (d: T) => number,
  config: ChartConfig,
  width: number,
): { bars: FunnelBar<T>[]; height: number; plotWidth: number } {
  const plotWidth = Math.max(40, width - FUNNEL_METRICS.labelWidth - FUNNEL_METRICS.valueWidth);
  const x = scaleLinear()
    .domain([0, max(data, value) || 1])
    .range([0, plotWidth]);
  const bars = data.map((datum, k) => {
    const id = key(datum);
    const v = value(datum);
    return {
      datum,
      key: id,
      label: config[id]?.label ?? id,
      color: config[id]?.color ?? 'currentColor',
      value: v,
      y: k * (FUNNEL_METRICS.rowHeight + FUNNEL_METRICS.gap),
      width: v > 0 ? Math.max(1, x(v)) : 0,
    };
  });
  return {
    bars,
    height: Math.max(
      0,
      data.length * (FUNNEL_METRICS.rowHeight + FUNNEL_METRICS.gap) - FUNNEL_METRICS.gap,
    ),
    plotWidth,
  };
}
