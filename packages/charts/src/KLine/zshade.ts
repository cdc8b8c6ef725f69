import { interpolatePuOr } from 'd3-scale-chromatic';

/**
 * A cell colour for a z-score on a diverging purple–orange scale (safe for colour-blind readers):
 * orange above the mean, purple below, white at it, saturated at ±2.5, with readable text.
 */
export function zShade(z: number): { background: string; color: string } {
  const t = Math.max(-1, Math.min(1, z / 2.5));
  return {
    background: interpolatePuOr(0.5 + t / 2),
    color: Math.abs(t) > 0.56 ? '#ffffff' : '#1f2933',
  };
}
