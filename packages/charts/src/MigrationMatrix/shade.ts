import { interpolateBlues } from 'd3-scale-chromatic';

/**
 * The background of a cell: its share of the row, on a sequential blue scale (readable in
 * grey and for colour-blind readers), and a text colour with enough contrast on it.
 */
export function shade(
  count: number,
  rowTotal: number,
): { background: string; color: string; share: number } {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  if (count === 0)
    return { background: 'transparent', color: 'var(--strata-muted, #9ca3af)', share };
  const t = 0.08 + 0.8 * share;
  return { background: interpolateBlues(t), color: t > 0.55 ? '#ffffff' : '#1f2933', share };
}
