import { normalQuantile, normalSf } from './distributions.js';
import type { Summary } from './stats.js';

/**
 * One map cell (segment × lifecycle stage): the changes (post − pre) of its treated customers and
 * of its comparison customers (same cell, not listed), summarised.
 */
export interface StratumChanges {
  readonly key: string;
  readonly treated: Summary;
  readonly comparison: Summary;
}

/** A difference-in-differences estimate of a strategy's effect on the treated. */
export interface DidEstimate {
  /** Σ w_s (treated mean change − comparison mean change) over the used strata. */
  readonly estimate: number;
  /** Its confidence interval (normal approximation). */
  readonly ci: readonly [number, number];
  /** Its standard error: √(Σ w_s² (var_T,s / n_T,s + var_C,s / n_C,s)). */
  readonly se: number;
  /** estimate / se and its two-sided p-value (normal approximation). */
  readonly z: number;
  readonly p: number;
  readonly confidence: number;
  /** Treated and comparison customers in the used strata. */
  readonly treated: number;
  readonly comparison: number;
  /** Treated customers in dropped strata (fewer than two values on either side). */
  readonly unmatched: number;
  /** The used strata: their weight w_s = n_T,s / Σ n_T and their difference of mean changes. */
  readonly strata: readonly { key: string; weight: number; difference: number }[];
}

/**
 * Did contact change the amount, when the strategy ran without a control group? Compares each
 * treated customer's change (post − pre) with that of comparison customers in the same map cell,
 * cell by cell, and averages the cells' differences weighted by their treated customers (the
 * effect on the treated, ATT). Cells with fewer than two values on either side have no variance
 * and are dropped; their treated customers are counted as unmatched. Normal-approximation
 * interval and two-sided p-value; the strata are independent.
 * @example
 * differenceInDifferences([
 *   { key: 'mass:active', treated: summarize(tChanges), comparison: summarize(cChanges) },
 * ]);
 */
export function differenceInDifferences(
  strata: readonly StratumChanges[],
  confidence = 0.95,
): DidEstimate {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`a confidence level is in (0, 1), got ${confidence}`);
  const used = strata.filter((s) => s.treated.n >= 2 && s.comparison.n >= 2);
  if (used.length === 0)
    throw new RangeError('no stratum has at least two treated and two comparison customers');
  const treated = used.reduce((sum, s) => sum + s.treated.n, 0);
  const comparison = used.reduce((sum, s) => sum + s.comparison.n, 0);
  const unmatched = strata.reduce((sum, s) => sum + s.treated.n, 0) - treated;
  let estimate = 0;
  let variance = 0;
  const rows = used.map(({ key, treated: t, comparison: c }) => {
    const weight = t.n / treated;
    const difference = t.mean - c.mean;
    estimate += weight * difference;
    variance += weight ** 2 * (t.variance / t.n + c.variance / c.n);
    return { key, weight, difference };
  });
  const se = Math.sqrt(variance);
  // with no variance at all, any non-zero estimate is certain and a zero one is no evidence
  const z = se > 0 ? estimate / se : estimate === 0 ? 0 : Math.sign(estimate) * Infinity;
  const p = Number.isFinite(z) ? 2 * normalSf(Math.abs(z)) : 0;
  const half = se > 0 ? normalQuantile(1 - (1 - confidence) / 2) * se : 0;
  return {
    estimate,
    ci: [estimate - half, estimate + half],
    se,
    z,
    p,
    confidence,
    treated,
    comparison,
    unmatched,
    strata: rows,
  };
}
