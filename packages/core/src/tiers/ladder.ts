import type { Localized } from '../util/i18n.js';
import { aumTierIndex, type TierRung } from './aum-ladder.js';

/** Code for a customer without a value (NaN): no tier. */
export const NO_TIER = 255;

/**
 * The default corporate contribution ladder on average daily deposits (日均存款), RMB:
 * 基础 < 1M · 成长 1M–10M · 重点 10M–50M · 核心 ≥ 50M. A convention, not a rule: pass your own.
 */
export const DEFAULT_CORPORATE_LADDER: readonly TierRung[] = [
  { id: 'basic', min: 0, label: { 'zh-CN': '基础', en: 'Basic' } },
  { id: 'growing', min: 1_000_000, label: { 'zh-CN': '成长', en: 'Growing' } },
  { id: 'key', min: 10_000_000, label: { 'zh-CN': '重点', en: 'Key' } },
  { id: 'core', min: 50_000_000, label: { 'zh-CN': '核心', en: 'Core' } },
];

/** The rung of each value (NO_TIER for NaN). */
export function assignLadder(values: ArrayLike<number>, ladder: readonly TierRung[]): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    out[i] = Number.isNaN(v) ? NO_TIER : aumTierIndex(v, ladder);
  }
  return out;
}

/** Options for `ladderWithHysteresis`. */
export interface HysteresisOptions {
  /** Consecutive months below the current rung before a customer is moved down. @default 3 */
  readonly downgradeMonths?: number;
}

/**
 * Tiers month by month with hysteresis: a customer moves up at once, and down only after
 * `downgradeMonths` consecutive months below their rung — then to the highest rung those
 * months reached. Stops customers flickering across a line from month to month.
 *
 * @param history period-major values (`t * size + i`), NaN for a missing month (no change)
 * @returns period-major rung codes, NO_TIER until a customer's first value
 */
export function ladderWithHysteresis(
  history: Float64Array,
  size: number,
  ladder: readonly TierRung[],
  options: HysteresisOptions = {},
): Uint8Array {
  const months = size === 0 ? 0 : history.length / size;
  const n = options.downgradeMonths ?? 3;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError('downgradeMonths must be a whole number ≥ 1');
  const out = new Uint8Array(history.length).fill(NO_TIER);
  for (let i = 0; i < size; i++) {
    let current = NO_TIER;
    let below = 0;
    let bestBelow = 0;
    for (let t = 0; t < months; t++) {
      const v = history[t * size + i] ?? Number.NaN;
      if (!Number.isNaN(v)) {
        const raw = aumTierIndex(v, ladder);
        if (current === NO_TIER || raw > current) {
          current = raw;
          below = 0;
        } else if (raw < current) {
          bestBelow = below === 0 ? raw : Math.max(bestBelow, raw);
          below++;
          if (below >= n) {
            current = bestBelow;
            below = 0;
          }
        } else below = 0;
      }
      out[t * size + i] = current;
    }
  }
  return out;
}

/** A rung's label, or a dash for NO_TIER. */
export function rungLabel(ladder: readonly TierRung[], code: number): Localized {
  return ladder[code]?.label ?? { 'zh-CN': '–', en: '–' };
}
