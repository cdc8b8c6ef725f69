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
): { readonly action: Recommendation; readonly reason: string } {
  const pts = (x: number) => `${(x * 100).toFixed(2)} pts`;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const ci = `95 % CI ${pts(result.upliftCi[0])} to ${pts(result.upliftCi[1])}`;
  if (counts.control < minControl)
    return {
      action: 'keep',
      reason: `too early to judge: ${counts.control} customers in the control group (at least ${minControl} needed)`,
    };
  const significant = result.p < 1 - result.confidence;
  if (significant && result.uplift < 0)
    return {
      action: 'retire',
      reason: `contact lowers conversion by ${pts(-result.uplift)} (${ci}, p = ${result.p.toFixed(4)})`,
    };
  if (!significant)
    return {
      action: 'revise',
      reason: `no significant effect: uplift ${pts(result.uplift)} (${ci}, p = ${result.p.toFixed(4)})`,
    };
  const meets =
    kpi === undefined || kpi.metric !== 'conversion_rate'
      ? true
      : result.treatmentRate >= kpi.target;
  return meets
    ? {
        action: 'scale_up',
        reason: `uplift ${pts(result.uplift)} (${ci}, p = ${result.p.toFixed(4)})${kpi?.metric === 'conversion_rate' ? `, conversion ${pct(result.treatmentRate)} meets the target ${pct(kpi.target)}` : ''}`,
      }
    : {
        action: 'keep',
        reason: `uplift ${pts(result.uplift)} (${ci}) but conversion ${pct(result.treatmentRate)} is below the target ${pct((kpi as { target: number }).target)}`,
      };
}
