import { describe, expect, it } from 'vitest';
import { translator } from './messages.js';

describe('translator', () => {
  it('gives Chinese by default and English when asked, with parameters filled in', () => {
    expect(translator('zh-CN')('migrationTitle', { from: '2026-09', to: '2026-10' })).toBe(
      '阶段迁移：2026-09 → 2026-10',
    );
    expect(translator('en')('migrationTitle', { from: '2026-09', to: '2026-10' })).toBe(
      'Stage migration: 2026-09 → 2026-10',
    );
  });

  it('leaves a missing parameter visible rather than printing undefined', () => {
    expect(translator('en')('funnelCaption', { period: '2026-10' })).toBe('2026-10 · {scope}');
  });
});
