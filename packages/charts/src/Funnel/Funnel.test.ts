import type { Component } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Funnel from './Funnel.svelte';
import { layoutFunnel } from './layout.js';
import type { FunnelProps } from './types.js';

// Three stages of a small bank: 100, 50 and 0 customers.
const data = [
  { stage: 'onboarding', count: 100 },
  { stage: 'mature', count: 50 },
  { stage: 'dormant', count: 0 },
];
const config = {
  onboarding: { label: '新客', color: 'var(--c1, #56B4E9)' },
  mature: { label: '成熟', color: '#009E73' },
  dormant: { label: '沉睡', color: '#A87300' },
};
type Row = (typeof data)[number];
const key = (d: Row) => d.stage;
const value = (d: Row) => d.count;
// A generic component cannot be instantiated with a type argument in a .ts file; name it here.
const RowFunnel = Funnel as unknown as Component<FunnelProps<Row>>;

describe('layoutFunnel', () => {
  it('makes bar lengths proportional to the values, from zero', () => {
    // Width 640 leaves 640 - 96 - 210 = 334 px to plot: 100 → 334, 50 → 167, 0 → 0.
    const { bars, plotWidth } = layoutFunnel(data, key, value, config, 640);
    expect(plotWidth).toBe(334);
    expect(bars.map((b) => b.width)).toEqual([334, 167, 0]);
    expect(bars.map((b) => b.y)).toEqual([0, 42, 84]);
    expect(bars[0]?.label).toBe('新客');
  });
});

describe('Funnel', () => {
  it('draws one labelled bar per datum with its value and colour', () => {
    const { body } = render(RowFunnel, {
      props: {
        data,
        key,
        value,
        config,
        title: '生命周期漏斗',
        formatValue: (v: number) => `${v}人`,
      },
    });
    expect(body.match(/role="listitem"/g)).toHaveLength(3);
    expect(body).not.toContain('tabindex');
    expect(body).toContain('aria-label="新客: 100人"');
    expect(body).toContain('<title>生命周期漏斗</title>');
    expect(body).toMatch(
      /class="fill[^"]*"[^>]*width="334"[^>]*style="fill: var\(--c1, #56B4E9\);"/,
    );
    expect(body).toContain('data-key="dormant" data-value="0"');
  });

  it('makes bars focusable buttons when they can be selected', () => {
    const { body } = render(RowFunnel, {
      props: { data, key, value, config, title: 't', onselect: () => undefined },
    });
    expect(body.match(/role="button"/g)).toHaveLength(3);
    expect(body.match(/tabindex="0"/g)).toHaveLength(3);
  });

  it('adds the detail to each bar when given', () => {
    const { body } = render(RowFunnel, {
      props: { data, key, value, config, title: 't', detail: (d: Row) => `${d.count / 150}` },
    });
    expect(body).toContain('aria-label="成熟: 50 (0.3333333333333333)"');
  });
});
