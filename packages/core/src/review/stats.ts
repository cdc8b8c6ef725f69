import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';

/** A group's conversions: how many were in it and how many converted. */
export interface Conversions {
  readonly n: number;
  readonly converted: number;
}

/** Treatment against control on a rate (conversion, response). */
export interface ProportionComparison {
  readonly treatmentRate: number;
  readonly controlRate: number;
  /** Absolute uplift: treatment rate − control rate. */
  readonly uplift: number;
  /** Its confidence interval (Wald, unpooled). */
  readonly upliftCi: readonly [number, number];
  /** Relative uplift: treatment rate / control rate − 1 (NaN with no control conversions). */
  readonly relativeUplift: number;
  /** Its confidence interval (delta method on the log of the rate ratio). */
  readonly relativeUpliftCi: readonly [number, number];
  /** The two-proportion z statistic (pooled variance) and its two-sided p-value. */
  readonly z: number;
  readonly p: number;
  readonly confidence: number;
}

function check(group: Conversions, name: string): void {
  if (!(Number.isInteger(group.n) && group.n > 0))
    throw new RangeError(`${name}: n must be a positive whole number, got ${group.n}`);
  if (!(Number.isInteger(group.converted) && group.converted >= 0 && group.converted <= group.n))
    throw new RangeError(
      `${name}: converted must be a whole number from 0 to n, got ${group.converted}`,
    );
}

/**
 * Did contact change the rate? The two-proportion z-test (pooled), the absolute uplift with a
 * Wald interval and the relative uplift with a delta-method interval on log(rate ratio).
 * @example
 * compareProportions({ n: 9_000, converted: 540 }, { n: 1_000, converted: 45 });
 * // uplift 0.015 (6.0 % vs 4.5 %), 95 % CI about [0.001, 0.029], p ≈ 0.055
 */
export function compareProportions(
  treatment: Conversions,
  control: Conversions,
  confidence = 0.95,
): ProportionComparison {
  check(treatment, 'treatment');
  check(control, 'control');
  const p1 = treatment.converted / treatment.n;
  const p0 = control.converted / control.n;
  const q = normalQuantile(1 - (1 - confidence) / 2);
  const uplift = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / treatment.n + (p0 * (1 - p0)) / control.n);
  const pooled = (treatment.converted + control.converted) / (treatment.n + control.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  const z = sePooled === 0 ? 0 : uplift / sePooled;
  const ratio = p1 / p0;
  const seLog =
    treatment.converted > 0 && control.converted > 0
      ? Math.sqrt((1 - p1) / treatment.converted + (1 - p0) / control.converted)
      : Number.NaN;
  return {
    treatmentRate: p1,
    controlRate: p0,
    uplift,
    upliftCi: [uplift - q * se, uplift + q * se],
    relativeUplift: control.converted > 0 ? ratio - 1 : Number.NaN,
    relativeUpliftCi: [
      Math.exp(Math.log(ratio) - q * seLog) - 1,
      Math.exp(Math.log(ratio) + q * seLog) - 1,
    ],
    z,
    p: 2 * normalCdf(-Math.abs(z)),
    confidence,
  };
}

/** A group's amounts summarised: size, mean and (sample) variance. */
export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** The sample variance (divided by n − 1). */
  readonly variance: number;
}

/** Size, mean and sample variance of values (Welford's method, stable for large sums). */
export function summarize(values: ArrayLike<number>): Summary {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  return { n: values.length, mean, variance: values.length > 1 ? m2 / (values.length - 1) : 0 };
}

/** Treatment against control on an amount (AUM change, fee income). */
export interface MeanComparison {
  readonly difference: number;
  readonly differenceCi: readonly [number, number];
  /** Welch's t statistic, its Welch–Satterthwaite degrees of freedom and two-sided p-value. */
  readonly t: number;
  readonly df: number;
  readonly p: number;
  readonly confidence: number;
}

/**
 * Did contact change the amount? Welch's t-test (unequal variances) on the difference of means,
 * with its confidence interval.
 */
export function welchTTest(
  treatment: Summary,
  control: Summary,
  confidence = 0.95,
): MeanComparison {
  if (treatment.n < 2 || control.n < 2)
    throw new RangeError('each group needs at least two values for a variance');
  const a = treatment.variance / treatment.n;
  const b = control.variance / control.n;
  const se = Math.sqrt(a + b);
  const difference = treatment.mean - control.mean;
  const df = (a + b) ** 2 / (a ** 2 / (treatment.n - 1) + b ** 2 / (control.n - 1));
  const t = se === 0 ? 0 : difference / se;
  const q = studentTQuantile(1 - (1 - confidence) / 2, df);
  return {
    difference,
    differenceCi: [difference - q * se, difference + q * se],
    t,
    df,
    p: 2 * studentTCdf(-Math.abs(t), df),
    confidence,
  };
}

/** Planning: what a test of two rates needs. */
export interface PowerOptions {
  /** The control group's expected rate. */
  readonly baseline: number;
  /** The share of the audience held back as control (e.g. 0.1). */
  readonly controlShare: number;
  /** Two-sided significance level. @default 0.05 */
  readonly alpha?: number;
  /** Power. @default 0.8 */
  readonly power?: number;
}

function power(options: PowerOptions) {
  const alpha = options.alpha ?? 0.05;
  const beta = 1 - (options.power ?? 0.8);
  const s = options.controlShare;
  if (!(s > 0 && s < 1)) throw new RangeError(`a control share is in (0, 1), got ${s}`);
  if (!(options.baseline > 0 && options.baseline < 1))
    throw new RangeError(`a baseline rate is in (0, 1), got ${options.baseline}`);
  return { za: normalQuantile(1 - alpha / 2), zb: normalQuantile(1 - beta), s };
}

/**
 * The audience (treatment + control) needed to detect an absolute uplift `mde` on the baseline
 * rate with the given control share, significance and power (normal approximation, pooled
 * variance under the null).
 */
export function requiredAudience(mde: number, options: PowerOptions): number {
  const { za, zb, s } = power(options);
  const p0 = options.baseline;
  const p1 = p0 + mde;
  if (!(mde > 0 && p1 < 1)) throw new RangeError(`an uplift in (0, 1 − baseline), got ${mde}`);
  // per unit of audience: treatment (1 − s), control s
  const pBar = (1 - s) * p1 + s * p0;
  const null0 = Math.sqrt(pBar * (1 - pBar) * (1 / (1 - s) + 1 / s));
  const alt = Math.sqrt((p1 * (1 - p1)) / (1 - s) + (p0 * (1 - p0)) / s);
  return Math.ceil(((za * null0 + zb * alt) / mde) ** 2);
}

/** The smallest absolute uplift an audience of `audience` can detect (inverse of requiredAudience). */
export function minimumDetectableEffect(audience: number, options: PowerOptions): number {
  let lo = 1e-9;
  let hi = 1 - options.baseline - 1e-9;
  if (requiredAudience(hi, options) > audience) return Number.NaN;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (requiredAudience(mid, options) > audience) lo = mid;
    else hi = mid;
  }
  return hi;
}
