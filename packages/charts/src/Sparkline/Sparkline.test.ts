import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Sparkline from './Sparkline.svelte';

describe('Sparkline', () => {
  it('draws one point per value, the highest at the top, with a text alternative', () => {
    const { body } = render(Sparkline, {
      props: {
        values: [1, 3, 2],
        labels: ['8月', '9月', '10月'],
        title: 'AUM',
        width: 100,
        height: 20,
      },
    });
    expect(body).toContain('data-points="3"');
    expect(body).toContain('aria-label="AUM: 8月 1, 9月 3, 10月 2"');
    const pts = /<polyline points="([^"]+)"/
      .exec(body)?.[1]
      ?.split(' ')
      .map((p) => p.split(',').map(Number));
    expect(pts).toHaveLength(3);
    // the highest value is drawn highest (smallest y)
    expect(Math.min(...(pts ?? []).map((p) => p[1] as number))).toBe(pts?.[1]?.[1]);
  });

  it('draws nothing for no values', () => {
    expect(render(Sparkline, { props: { values: [], title: 'x' } }).body).not.toContain('<svg');
  });
});
