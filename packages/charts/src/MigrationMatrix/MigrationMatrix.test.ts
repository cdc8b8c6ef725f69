import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import MigrationMatrix from './MigrationMatrix.svelte';
import { shade } from './shade.js';

const config = { a: { label: 'A', color: '#111' }, b: { label: 'B', color: '#222' } };

describe('shade', () => {
  it('shades by share of the row and leaves empty cells clear', () => {
    expect(shade(0, 10).background).toBe('transparent');
    expect(shade(5, 10).share).toBe(0.5);
    expect(shade(10, 10).color).toBe('#ffffff');
  });
});

describe('MigrationMatrix', () => {
  it('renders a table with a row per stage, the arrivals row and the counts', () => {
    // A→A 3, A→B 1, B→B 2; one new customer arrived in B.
    const { body } = render(MigrationMatrix, {
      props: {
        stages: ['a', 'b'],
        counts: [
          [3, 1],
          [0, 2],
        ],
        arrivals: [0, 1],
        config,
        title: '迁移',
        fromLabel: '9月',
        toLabel: '10月',
        arrivalsLabel: '新增',
      },
    });
    expect(body).toMatch(/<caption[^>]*>迁移<\/caption>/);
    expect(body.match(/<tr/g)).toHaveLength(4); // header, A, B, arrivals
    expect(body).toContain('data-from="a" data-to="b" data-count="1"');
    expect(body).toContain('data-from="" data-to="b" data-count="1"');
    expect(body).toMatch(/data-from="a" data-to="a" data-count="3"[^>]*class="[^"]*\bstay\b/);
    expect(body).not.toMatch(/data-from="a" data-to="b" data-count="1"[^>]*class="[^"]*\bstay\b/);
  });
});
