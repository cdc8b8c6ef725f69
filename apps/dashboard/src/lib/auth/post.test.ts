import { describe, expect, it } from 'vitest';
import { safeNext } from './post.js';

describe('safeNext', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNext('/lifecycle?period=2026-09')).toBe('/lifecycle?period=2026-09');
    expect(safeNext(null)).toBe('/');
  });

  it('never leads to another site, however the address is disguised', () => {
    for (const bad of [
      '//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\\evil.example',
      'https://evil.example/x',
      'javascript:alert(1)',
      ' //evil.example',
    ])
      expect(new URL(safeNext(bad), 'https://strata.bank').origin, bad).toBe('https://strata.bank');
  });
});
