import type { Localized } from '../util/i18n.js';
import type { ProportionComparison } from './stats.js';

/** What to do with a strategy after its review (DESIGN.md §5). */
export type Recommendation = 'scale_up' | 'keep' | 'revise' | 'retire';

/**
 * A recommendation from the conversion comparison and the KPI: scale up a significant uplift
 * that meets its target; keep a significant one below target, or one too young to judge; revise
 * one that shows no effect; retire one that lowers conversion. The reason says why in numbers.
 */
export function recommend(
  result: ProportionComparison,
  counts: { readonly treatment: number; readonly control: number },
  kpi?: { readonly metric: string; readonly target: number },
  minControl = 100,
): {
  readonly action: Recommendation;
  readonly reason: string;
  /** The reason in every language the product speaks (`reason` is the English one). */
  readonly reasons: Localized;
} {
  const pts = (x: number) => `${(x * 100).toFixed(2)} pts`;
  const zhPts = (x: number) => `${(x * 100).toFixed(2)} 个百分点`;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const zhPct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const p = result.p.toFixed(4);
  const ci = `95 % CI ${pts(result.upliftCi[0])} to ${pts(result.upliftCi[1])}`;
  const zhCi = `95% 置信区间 ${zhPts(result.upliftCi[0])} 至 ${zhPts(result.upliftCi[1])}`;
  const say = (action: Recommendation, en: string, zh: string) => ({
    action,
    reason: en,
    reasons: { en, 'zh-CN': zh },
  });
  if (counts.control < minControl)
    return say(
      'keep',
      `too early to judge: ${counts.control} customers in the control group (at least ${minControl} needed)`,
      `尚不能判断：对照组只有 ${counts.control} 位客户（至少需要 ${minControl} 位）`,
    );
  const significant = result.p < 1 - result.confidence;
  if (significant && result.uplift < 0)
    return say(
      'retire',
      `contact lowers conversion by ${pts(-result.uplift)} (${ci}, p = ${p})`,
      `触达使转化率下降 ${zhPts(-result.uplift)}（${zhCi}，p = ${p}）`,
    );
  if (!significant)
    return say(
      'revise',
      `no significant effect: uplift ${pts(result.uplift)} (${ci}, p = ${p})`,
      `效果不显著：提升 ${zhPts(result.uplift)}（${zhCi}，p = ${p}）`,
    );
  const meets =
    kpi === undefined || kpi.metric !== 'conversion_rate'
      ? true
      : result.treatmentRate >= kpi.target;
  const target = kpi?.target ?? 0;
  if (meets)
    return kpi?.metric === 'conversion_rate'
      ? say(
          'scale_up',
          `uplift ${pts(result.uplift)} (${ci}, p = ${p}), conversion ${pct(result.treatmentRate)} meets the target ${pct(target)}`,
          `提升 ${zhPts(result.uplift)}（${zhCi}，p = ${p}），转化率 ${zhPct(result.treatmentRate)} 达到目标 ${zhPct(target)}`,
        )
      : say(
          'scale_up',
          `uplift ${pts(result.uplift)} (${ci}, p = ${p})`,
          `提升 ${zhPts(result.uplift)}（${zhCi}，p = ${p}）`,
        );
  return say(
    'keep',
    `uplift ${pts(result.uplift)} (${ci}) but conversion ${pct(result.treatmentRate)} is below the target ${pct(target)}`,
    `提升 ${zhPts(result.uplift)}（${zhCi}），但转化率 ${zhPct(result.treatmentRate)} 低于目标 ${zhPct(target)}`,
  );
}
