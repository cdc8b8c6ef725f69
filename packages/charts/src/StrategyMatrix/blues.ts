import { interpolateRgbBasis } from 'd3-interpolate';

/**
 * d3-scale-chromatic's `interpolateBlues` (ColorBrewer's 9-class Blues, as a B-spline in RGB),
 * built here because importing it from d3-scale-chromatic keeps every other scheme in a bundle
 * (its module-level ramps do not tree-shake): 10 KB gzipped more in each widget with a map.
 */
export const interpolateBlues: (t: number) => string = interpolateRgbBasis([
  '#f7fbff',
  '#deebf7',
  '#c6dbef',
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
]);
