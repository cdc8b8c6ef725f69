import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import KLine from './KLine.svelte';

describe('KLine', () => {
  it('draws a point per k, marks the chosen one, and offers a button per k', () => {
    const { body } = render(KLine, {
      props: {
        points: [
          { k: 2, value: 0.41 },
          { k: 3, value: 0.52 },
          { k: 4, value: 0.47 },
        ],
        title: '轮廓系数',
        selected: 3,
        onselect: () => {},
      },
    });
    expect(body.match(/data-k="/g)).toHaveLength(3);
    expect(body).toContain('data-k="3" data-value="0.52"');
    expect(body).toContain('aria-label="轮廓系数: k=2 0.41, k=3 0.52, k=4 0.47"');
    expect(body).toMatch(/aria-pressed="true"[^>]*>k=3</);
  });
});

describe('zShade', () => {
  it('is white-ish at zero, differs by sign, and saturates with readable text', async () => {
    const { zShade } = await import('./zshade.js');
    expect(zShade(0).color).toBe('#1f2933');
    expect(zShade(2).background).not.toBe(zShade(-2).background);
    expect(zShade(3).background).toBe(zShade(10).background);
    expect(zShade(3).color).toBe('#ffffff');
    // above the mean is orange (red channel high), below is purple (blue channel high)
    const rgb = (c: string) => (c.match(/\d+/g) ?? []).map(Number);
    const [r1, , b1] = rgb(zShade(2).background);
    const [r2, , b2] = rgb(zShade(-2).background);
    expect((r1 as number) > (b1 as number)).toBe(true);
    expect((b2 as number) > (r2 as number)).toBe(true);
  });
});
