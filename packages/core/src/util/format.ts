import type { Locale } from './i18n.js';

/** Fixed digits without trailing zeros after the point (100 stays 100; 1.50 is 1.5). */
function trim(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A compact amount for people: 万 and 亿 in zh-CN, K/M/B in en.
 * @example formatCompact(123_456_789, 'zh-CN') // '1.23亿'
 * @example formatCompact(123_456_789, 'en')    // '123.46M'
 */
export function formatCompact(value: number, locale: Locale, digits = 2): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const v = Math.abs(value);
  if (locale === 'zh-CN') {
    if (v >= 1e8) return `${sign}${trim(v / 1e8, digits)}亿`;
    if (v >= 1e4) return `${sign}${trim(v / 1e4, digits)}万`;
    return `${sign}${trim(v, v >= 100 ? 0 : digits)}`;
  }
  if (v >= 1e9) return `${sign}${trim(v / 1e9, digits)}B`;
  if (v >= 1e6) return `${sign}${trim(v / 1e6, digits)}M`;
  if (v >= 1e3) return `${sign}${trim(v / 1e3, digits)}K`;
  return `${sign}${trim(v, v >= 100 ? 0 : digits)}`;
}

/** An integer count with the locale's grouping, e.g. 12,345. */
export function formatCount(value: number): string {
  const s = Math.round(Math.abs(value))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 ? `-${s}` : s;
}

/** A share as a percentage, e.g. 0.1234 → '12.3%'. */
export function formatShare(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(digits)}%`;
}
