import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import StrategyMatrix from './StrategyMatrix.svelte';
import { matrixShade } from './scale.js';

const config = {
  growth: { label: '成长', color: '#111' },
  mature: { label: '成熟', color: '#222' },
};
const labels = { gap: '缺口', collision: '冲突', strategies: (n: number) => `${n} 个策略` };

describe('matrixShade', () => {
  it('leaves empty cells clear, darkens with the value, and keeps the text readable', () => {
    const customers = matrixShade([0, 10, 1_000], 'customers');
    expect(customers(0).background).toBe('transparent');
    expect(customers(1_000).color).toBe('#ffffff');
    expect(customers(10).color).toBe('#1f2933');
    // money on a log scale: a cell with a hundredth of the top still shows
    const aum = matrixShade([1e6, 1e8], 'aum');
    expect(aum(1e6).background).not.toBe(aum(1e8).background);
    expect(aum(1e6).background).not.toBe('transparent');
  });
});

describe('StrategyMatrix', () => {
  it('draws a row per segment and a column per stage, with the counts, strategies, gaps and collisions', () => {
    const { body } = render(StrategyMatrix, {
      props: {
        rows: ['payroll', 'youth'],
        stages: ['growth', 'mature'],
        cells: [
          {
            row: 'payroll',
            stage: 'growth',
            customers: 400,
            aum: 8e7,
            strategies: ['a', 'b'],
            gap: false,
            collision: true,
          },
          { row: 'payroll', stage: 'mature', customers: 120, aum: 2e7, strategies: [], gap: true },
          { row: 'youth', stage: 'growth', customers: 0, aum: 0, strategies: [], gap: false },
        ],
        config,
        rowLabel: (r: string) => (r === 'payroll' ? '代发' : '青年'),
        title: '策略图谱',
        labels,
        selected: { row: 'payroll', stage: 'mature' },
      },
    });
    expect(body).toMatch(/<caption[^>]*>策略图谱<\/caption>/);
    expect(body.match(/<tr/g)).toHaveLength(3); // header + 2 rows
    expect(body).toMatch(
      /data-row="payroll" data-stage="growth" data-customers="400" data-strategies="2"[^>]*class="[^"]*\bcollision\b/,
    );
    expect(body).toMatch(
      /data-row="payroll" data-stage="mature" data-customers="120" data-strategies="0"[^>]*class="[^"]*\bgap\b[^"]*\bselected\b/,
    );
    expect(body).toContain('aria-label="代发 × 成熟 · 120 · 20000000 · 缺口"');
    expect(body).toContain('aria-label="代发 × 成长 · 400 · 80000000 · 2 个策略 · 冲突"');
    // an empty cell has no button: nothing to open
    expect(body).toMatch(
      /data-row="youth" data-stage="growth" data-customers="0"[^>]*>(<!--[^>]*-->)?·/,
    );
    expect(body.match(/<button/g)).toHaveLength(2);
  });
});
