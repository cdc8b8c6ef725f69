import type { Localized } from '../util/i18n.js';

/** One rung of a value ladder: customers at or above `min` (and below the next rung). */
export interface TierRung {
  /** Stable identifier, e.g. `'gold'`. */
  readonly id: string;
  /** Lower bound in RMB (inclusive). */
  readonly min: number;
  readonly label: Localized;
}

/**
 * The default retail value ladder on monthly average daily AUM (月日均), from DOMAIN.md:
 * 大众 < 50k · 金卡 50k–500k · 财富 500k–2M · 钻石 2M–6M · 私行 ≥ 6M RMB.
 * Banks differ (CMB's 金葵花 starts at 500k, its private banking at 10M): pass your own ladder.
 */
export const DEFAULT_RETAIL_LADDER: readonly TierRung[] = [
  { id: 'mass', min: 0, label: { 'zh-CN': '大众', en: 'Mass' } },
  { id: 'gold', min: 50_000, label: { 'zh-CN': '金卡', en: 'Gold' } },
  { id: 'wealth', min: 500_000, label: { 'zh-CN': '财富', en: 'Wealth' } },
  { id: 'diamond', min: 2_000_000, label: { 'zh-CN': '钻石', en: 'Diamond' } },
  { id: 'private', min: 6_000_000, label: { 'zh-CN': '私行', en: 'Private banking' } },
];

/**
 * The index of the rung `aum` falls on (0 = lowest). Rungs must be sorted by `min`.
 * @example aumTierIndex(600_000) // 2 (财富)
 */
export function aumTierIndex(
  aum: number,
  ladder: readonly TierRung[] = DEFAULT_RETAIL_LADDER,
): number {
  let index = 0;
  for (let k = 1; k < ladder.length; k++) {
    const rung = ladder[k];
    if (rung && aum >= rung.min) index = k;
    else break;
  }
  return index;
}
