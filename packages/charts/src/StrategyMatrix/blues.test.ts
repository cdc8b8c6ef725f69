import { interpolateBlues as reference } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { interpolateBlues } from './blues.js';

describe('interpolateBlues', () => {
  it('gives d3-scale-chromatic’s colour at every step', () => {
    for (let i = 0; i <= 200; i++) expect(interpolateBlues(i / 200)).toBe(reference(i / 200));
  });
});
