import { scaleSequentialLog, scaleSequentialSqrt } from 'd3-scale';
import { interpolateBlues } from './blues.js';

/**
 * The fill of each cell from its value: a sequential blue scale (readable in grey and for
 * colour-blind readers), square-root for counts, logarithmic for money (a few cells hold most of
 * the AUM), with a text colour that keeps enough contrast. Empty cells stay clear.
 */
export function matrixShade(
  values: readonly number[],
  kind: 'customers' | 'aum',
): (value: number) => { background: string; color: string } {
  const positive = values.filter((v) => v > 0);
  const max = Math.max(1, ...positive);
  const min = Math.max(1, Math.min(max, ...positive));
  const scale =
    kind === 'aum'
      ? scaleSequentialLog([min, max === min ? min * 10 : max], (t) =>
          interpolateBlues(0.08 + 0.8 * t),
        )
      : scaleSequentialSqrt([0, max], (t) => interpolateBlues(0.08 + 0.8 * t));
  const position =
    kind === 'aum'
      ? (v: number) => Math.log(v / min) / Math.log((max === min ? min * 10 : max) / min)
      : (v: number) => Math.sqrt(v / max);
  return (value) => {
    if (!(value > 0)) return { background: 'transparent', color: 'var(--strata-muted, #9ca3af)' };
    const t = 0.08 + 0.8 * Math.min(1, Math.max(0, position(value)));
    return { background: scale(value), color: t > 0.55 ? '#ffffff' : '#1f2933' };
  };
}
