import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCompact, formatCount, formatShare } from './format.js';

describe('number formatting', () => {
  it('uses 万 and 亿 in Chinese, K/M/B in English, and keeps the zeros of whole numbers', () => {
    expect(formatCompact(123_456_789, 'zh-CN')).toBe('1.23亿');
    expect(formatCompact(123_456_789, 'en')).toBe('123.46M');
    expect(formatCompact(15_000, 'zh-CN')).toBe('1.5万');
    expect(formatCompact(100, 'zh-CN')).toBe('100');
    expect(formatCompact(5_000, 'zh-CN')).toBe('5000');
    expect(formatCompact(1_200, 'en')).toBe('1.2K');
    expect(formatCompact(-2_000_000, 'en')).toBe('-2M');
    expect(formatCompact(0.5, 'en')).toBe('0.5');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatShare(0.1234)).toBe('12.3%');
  });

  it('never loses the order of magnitude of a value below 10,000 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9_999 }), (v) => {
        expect(Number(formatCompact(v, 'zh-CN'))).toBe(v);
      }),
    );
  });
});
