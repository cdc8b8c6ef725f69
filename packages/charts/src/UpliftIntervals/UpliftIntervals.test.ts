import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import UpliftIntervals from './UpliftIntervals.svelte';
import { layoutIntervals } from './layout.js';

const rows = [
  { key: 'a', label: 'A', value: 0.12, ci: [0.06, 0.18] as const },
  { key: 'b', label: 'B', value: -0.03, ci: [-0.05, -0.01] as const },
  { key: 'c', label: 'C', value: 0.01, ci: [-0.02, 0.04] as const },
];

describe('layoutIntervals', () => {
  it('puts zero on the axis and orders the ends by value', () => {
    const l = layoutIntervals(rows, 400);
    expect(l.x(0)).toBeGreaterThan(0);
    expect(l.x(0)).toBeLessThan(400);
    expect(l.ticks).toContain(0);
    expect(l.rows.map((r) => r.sign)).toEqual(['up', 'down', 'unclear']);
    for (const r of l.rows) expect(r.lo).toBeLessThanOrEqual(r.at);
    for (const r of l.rows) expect(r.at).toBeLessThanOrEqual(r.hi);
    // every interval fits the plot
    expect(Math.min(...l.rows.map((r) => r.lo))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...l.rows.map((r) => r.hi))).toBeLessThanOrEqual(400);
  });
});

describe('UpliftIntervals', () => {
  it('draws a row per estimate, coloured by what the interval says, with a text table', () => {
    const { body } = render(UpliftIntervals, {
      props: { rows, title: '提升', formatValue: (v: number) => (v * 100).toFixed(1) },
    });
    expect(body).toContain('aria-label="提升"');
    expect(body).toMatch(/data-key="a" data-value="0.12" data-sign="up"/);
    expect(body).toMatch(/data-key="b" data-value="-0.03" data-sign="down"/);
    expect(body).toMatch(/data-key="c" data-value="0.01" data-sign="unclear"/);
    expect(body).toContain('<td>[6.0, 18.0]</td>');
  });
});
