import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Sankey from './Sankey.svelte';
import { layoutSankey } from './layout.js';

const counts = [
  [3, 1],
  [0, 2],
];

describe('layoutSankey', () => {
  it('makes a band per non-empty cell and arrivals, node heights in proportion to customers', () => {
    const { nodes, flows } = layoutSankey(['a', 'b'], counts, [0, 4], 400, 200);
    expect(flows.map((f) => [f.from, f.to, f.value])).toEqual([
      ['a', 'a', 3],
      ['a', 'b', 1],
      ['b', 'b', 2],
      [null, 'b', 4],
    ]);
    const to = (s: string) => nodes.find((n) => n.side === 'to' && n.stage === s);
    const h = (n: { y0: number; y1: number } | undefined) => (n ? n.y1 - n.y0 : 0);
    expect(to('b')?.value).toBe(7);
    expect(h(to('b')) / h(to('a'))).toBeCloseTo(7 / 3, 1);
    // left nodes on the left, right nodes on the right
    expect(Math.max(...nodes.filter((n) => n.side === 'from').map((n) => n.x1))).toBeLessThan(
      Math.min(...nodes.filter((n) => n.side === 'to').map((n) => n.x0)),
    );
  });
});

describe('Sankey', () => {
  it('draws each band with its stages and count, as a button when it can be chosen', () => {
    const { body } = render(Sankey, {
      props: {
        stages: ['a', 'b'],
        counts,
        arrivals: [0, 4],
        config: { a: { label: 'A', color: '#111' }, b: { label: 'B', color: '#222' } },
        title: '迁移',
        fromLabel: '9月',
        toLabel: '10月',
        arrivalsLabel: '新增',
        onselect: () => {},
      },
    });
    expect(body).toContain('aria-label="迁移"');
    expect(body.match(/class="band/g)).toHaveLength(4);
    expect(body).toMatch(
      /<path[^>]*data-from=""[^>]*data-to="b"[^>]*data-value="4"[^>]*role="button"/,
    );
    expect(body).toContain('aria-label="新增 → B: 4"');
  });
});
