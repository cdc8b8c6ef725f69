import { DEFAULT_RETAIL_LADDER, aumTierIndex } from '../tiers/aum-ladder.js';
import { NEVER } from '../lifecycle/frame.js';
import { addMonths, periodEndDay } from '../util/dates.js';
import {
  FEATURES,
  type CategoryExpr,
  type FeatureKey,
  type Metric,
  type NumberExpr,
  type TrendMetric,
} from './catalog.js';
import type { CategoryColumn, FeatureInput } from './input.js';

/** Year, month and day of a day number, without allocating a Date per customer. */
function ymd(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/**
 * Every feature of every customer for one month, computed on first use and kept: numbers as
 * Float64Array (NaN = null), booleans as Uint8Array, categories dictionary-encoded.
 *
 * @example
 * const frame = new FeatureFrame(input);
 * frame.number('aum_trend_3m'); // Float64Array, one value per customer
 */
export class FeatureFrame {
  readonly size: number;
  readonly endDay: number;
  /** 1 for customers known to the bank by the as-of month's end: rules select among them. */
  readonly universe: Uint8Array;
  private readonly t: number;
  /** Index of each period in the input, to find "k months back" by the calendar. */
  private readonly periodIndex: Map<string, number>;
  private readonly numbers = new Map<string, Float64Array>();
  private readonly categories = new Map<string, CategoryColumn>();
  private readonly booleans = new Map<string, Uint8Array>();

  constructor(readonly input: FeatureInput) {
    this.size = input.size;
    this.periodIndex = new Map(input.periods.map((p, k) => [p, k]));
    this.t = input.periods.indexOf(input.asOf);
    if (this.t < 0) throw new RangeError(`asOf ${input.asOf} is not among the input's periods`);
    this.endDay = periodEndDay(input.asOf);
    this.universe = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++)
      this.universe[i] = (input.linkedDay[i] ?? 0) <= this.endDay ? 1 : 0;
  }

  /** A numeric feature (or a trend key, see `trend`). */
  number(key: FeatureKey): Float64Array {
    const def = FEATURES[key];
    if (def.type !== 'number') throw new TypeError(`${key} is not a number feature`);
    return this.cached(this.numbers, key, () => this.evalNumber(def.expr));
  }

  /** The relative change of a monthly metric over `months` months: (v(now) − v(months ago)) / v(months ago). */
  trend(metric: TrendMetric, months: number): Float64Array {
    return this.cached(this.numbers, `trend:${metric}:${months}`, () =>
      this.evalNumber({
        change: [
          { metric, k: 0 },
          { metric, k: months },
        ],
      }),
    );
  }

  /** Days since the customer's last event of a type (NaN if none by the as-of month's end). */
  daysSinceEvent(type: string): Float64Array {
    return this.cached(this.numbers, `event:${type}`, () => {
      const days = this.input.lastEventDay[type];
      const out = new Float64Array(this.size).fill(Number.NaN);
      if (!days) return out;
      for (let i = 0; i < this.size; i++) {
        const d = days[i] ?? NEVER;
        if (d !== NEVER && d <= this.endDay) out[i] = this.endDay - d;
      }
      return out;
    });
  }

  /** A boolean feature: 1 or 0 per customer. */
  boolean(key: FeatureKey): Uint8Array {
    const def = FEATURES[key];
    if (def.type !== 'boolean') throw new TypeError(`${key} is not a boolean feature`);
    return this.cached(this.booleans, key, () =>
      'present' in def.expr
        ? this.input.payrollEmployerPresent
        : this.input.booleans[def.expr.attribute],
    );
  }

  /** A category feature, dictionary-encoded (code -1 = null). */
  category(key: FeatureKey): CategoryColumn {
    const def = FEATURES[key];
    if (def.type !== 'category') throw new TypeError(`${key} is not a category feature`);
    return this.cached(this.categories, key, () => this.evalCategory(def.expr, def.values));
  }

  private cached<V>(map: Map<string, V>, key: string, make: () => V): V {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  }

  /** The value of `metric` k months before the as-of month, for every customer. */
  /** The input index of the month k months before the as-of month, or -1 if absent. */
  private back(k: number): number {
    return this.periodIndex.get(addMonths(this.input.asOf, -k)) ?? -1;
  }

  private month(
    metric: { readonly metric: Metric; readonly k: number },
    out: Float64Array,
  ): Float64Array {
    const t = this.back(metric.k);
    if (t < 0) return out.fill(Number.NaN);
    const col = this.input.monthly[metric.metric];
    for (let i = 0; i < this.size; i++) out[i] = col[t * this.size + i] ?? Number.NaN;
    return out;
  }

  private evalNumber(expr: NumberExpr): Float64Array {
    const n = this.size;
    const out = new Float64Array(n);
    if ('metric' in expr) return this.month(expr, out);
    if ('sum' in expr || 'mean' in expr) {
      const metric = 'sum' in expr ? expr.sum : expr.mean;
      const col = this.input.monthly[metric];
      const months = Array.from({ length: expr.months }, (_, k) => this.back(k));
      for (let i = 0; i < n; i++) {
        let total = 0;
        let present = 0;
        for (const t of months) {
          const v = t >= 0 ? (col[t * n + i] ?? Number.NaN) : Number.NaN;
          if (!Number.isNaN(v)) {
            total += v;
            present++;
          }
        }
        const current = col[this.t * n + i] ?? Number.NaN;
        if ('sum' in expr) out[i] = Number.isNaN(current) ? Number.NaN : total;
        else out[i] = present === 0 ? Number.NaN : total / present;
      }
      return out;
    }
    if ('ratio' in expr || 'change' in expr || 'minus' in expr) {
      const [ea, eb] = 'ratio' in expr ? expr.ratio : 'change' in expr ? expr.change : expr.minus;
      const a = this.evalNumber(ea);
      const b = this.evalNumber(eb);
      for (let i = 0; i < n; i++) {
        const x = a[i] ?? Number.NaN;
        const y = b[i] ?? Number.NaN;
        if ('minus' in expr) out[i] = x - y;
        else if (!(y > 0) || Number.isNaN(x)) out[i] = Number.NaN;
        else out[i] = 'ratio' in expr ? x / y : (x - y) / y; // one rounding: 90k vs 100k is −0.1
      }
      return out;
    }
    if ('daysSince' in expr) {
      const end = this.endDay;
      for (let i = 0; i < n; i++) {
        const d =
          expr.daysSince === 'opened'
            ? (this.input.openedDay[i] ?? NEVER)
            : (this.input.lastTxnDay[this.t * n + i] ?? NEVER);
        out[i] = d === NEVER || d > end ? Number.NaN : end - d;
      }
      return out;
    }
    if ('age' in expr) {
      const end = ymd(this.endDay);
      for (let i = 0; i < n; i++) {
        const b = this.input.birthDay[i] ?? NEVER;
        if (b === NEVER) out[i] = Number.NaN;
        else {
          const born = ymd(b);
          out[i] =
            Math.floor(end / 10_000) -
            Math.floor(born / 10_000) -
            (end % 10_000 < born % 10_000 ? 1 : 0);
        }
      }
      return out;
    }
    return this.input.numbers[expr.attribute];
  }

  private evalCategory(expr: CategoryExpr, values: readonly string[]): CategoryColumn {
    if ('attribute' in expr) return this.input.categories[expr.attribute];
    const codes = new Int32Array(this.size);
    if ('section' in expr) {
      const source = this.input.categories[expr.section];
      const sectionOf = source.values.map((v) => values.indexOf(v.charAt(0)));
      for (let i = 0; i < this.size; i++) {
        const c = source.codes[i] ?? -1;
        codes[i] = c < 0 ? -1 : (sectionOf[c] ?? -1);
      }
      return { codes, values };
    }
    const aum = this.month({ metric: expr.tier, k: 0 }, new Float64Array(this.size));
    for (let i = 0; i < this.size; i++) {
      const v = aum[i] ?? Number.NaN;
      codes[i] = Number.isNaN(v) ? -1 : aumTierIndex(v, DEFAULT_RETAIL_LADDER);
    }
    return { codes, values };
  }
}
