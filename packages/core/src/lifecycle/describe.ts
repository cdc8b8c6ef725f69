import { formatCompact, formatShare } from '../util/format.js';
import type { Locale } from '../util/i18n.js';
import type { LifecycleExplanation } from './evaluate.js';
import type { LifecycleConfig } from './config.js';
import { STAGE_LABELS, type LifecycleStage } from './stages.js';

/**
 * The why of a lifecycle stage as a sentence a strategist reads, with the figures.
 * @example describeLifecycle(explainLifecycle(frame, 0, 12), 'en')
 * // 'Declining: AUM fell 34.0% over 3 months (1.2M → 792K).'
 */
export function describeLifecycle(e: LifecycleExplanation, locale: Locale): string {
  const f = e.figures;
  const zh = locale === 'zh-CN';
  const label = STAGE_LABELS[e.stage][locale];
  const money = (v: number) => formatCompact(v, locale);
  const change = f.aumChange === null ? '' : formatShare(Math.abs(f.aumChange));
  const body = ((): string => {
    switch (e.reason) {
      case 'closed':
        return zh ? '账户已销户' : 'the relationship is closed';
      case 'zero_aum':
        return zh
          ? `资产已降至约零（${money(f.aum)}）`
          : `AUM has fallen to about zero (${money(f.aum)})`;
      case 'no_debit_account':
        return zh
          ? '仅通过代发或信用卡关联，尚无借记账户'
          : 'linked only by payroll or card; no debit account yet';
      case 'never_funded':
        return zh ? '开户后从未有过借记资产' : 'opened an account but never held debit AUM';
      case 'reactivated':
        return zh
          ? `上期为${STAGE_LABELS[f.previousStage ?? 'dormant'][locale]}，本期重新交易`
          : `was ${STAGE_LABELS[f.previousStage ?? 'dormant'][locale].toLowerCase()} last period and transacted again`;
      case 'no_recent_txn':
        return zh
          ? `${f.daysSinceTxn ?? f.tenureDays ?? 0} 天无主动交易（利息入账不计）`
          : `no customer-initiated transaction for ${f.daysSinceTxn ?? f.tenureDays ?? 0} days (interest postings excluded)`;
      case 'new_customer':
        return zh ? `开户 ${f.tenureDays ?? 0} 天` : `account opened ${f.tenureDays ?? 0} days ago`;
      case 'honeymoon_tenure':
        return zh
          ? `开户 ${f.tenureDays ?? 0} 天（3–6 个月）`
          : `account opened ${f.tenureDays ?? 0} days ago (3–6 months)`;
      case 'aum_drop':
        return zh
          ? `资产下降 ${change}（${money(f.aumBase)} → ${money(f.aum)}）`
          : `AUM fell ${change} (${money(f.aumBase)} → ${money(f.aum)})`;
      case 'sustained_outflow':
        return zh
          ? `连续 ${f.outflowStreak} 个月净流出`
          : `net outflow for ${f.outflowStreak} months in a row`;
      case 'aum_rise':
        return zh
          ? `资产上升 ${change}（${money(f.aumBase)} → ${money(f.aum)}）`
          : `AUM rose ${change} (${money(f.aumBase)} → ${money(f.aum)})`;
      case 'tier_upgrade':
        return zh
          ? `资产升档（${money(f.aumBase)} → ${money(f.aum)}）`
          : `moved up a tier (${money(f.aumBase)} → ${money(f.aum)})`;
      case 'stable_deep':
        return zh
          ? `资产稳定（变动 ${change || '0%'}），持有 ${f.productTypes} 类产品`
          : `AUM stable (change ${change || '0%'}), holds ${f.productTypes} product types`;
      case 'fallback':
        return zh
          ? `资产${money(f.aum)}，持有 ${f.productTypes} 类产品，仍有提升空间`
          : `AUM ${money(f.aum)}, ${f.productTypes} product types: room to develop`;
    }
  })();
  return zh ? `${label}：${body}。` : `${label}: ${body}.`;
}

/**
 * What each stage means under a configuration, in plain words with its thresholds (in the order
 * the rules are tried: the first that matches wins).
 * @example stageDefinitions(DEFAULT_LIFECYCLE_CONFIG, 'zh-CN').dormant // '180 天以上没有客户主动交易'
 */
export function stageDefinitions(
  config: LifecycleConfig,
  locale: Locale,
): { readonly stage: LifecycleStage; readonly label: string; readonly rule: string }[] {
  const zh = locale === 'zh-CN';
  const pct = (x: number) => formatShare(x, 0);
  const money = (v: number) => formatCompact(v, locale);
  const rules: [LifecycleStage, string, string][] = [
    [
      'churned',
      `已销户，或曾有资产而现在资产 ≤ ${money(config.zeroAum)}`,
      `closed, or assets ≤ ${money(config.zeroAum)} after having had some`,
    ],
    ['prospect', '没有借记账户，或从未入金', 'no debit account, or never funded'],
    [
      'winback',
      '上月流失或沉睡，本月重新有主动交易',
      'churned or dormant last month, transacting again now',
    ],
    [
      'dormant',
      `${config.dormantDays} 天以上没有客户主动交易（结息不算）`,
      `no customer-initiated transaction for ${config.dormantDays}+ days (interest does not count)`,
    ],
    [
      'onboarding',
      `开户 ${config.onboardingDays} 天以内`,
      `tenure up to ${config.onboardingDays} days`,
    ],
    [
      'honeymoon',
      `开户 ${config.honeymoonDays} 天以内（新客期之后）`,
      `tenure up to ${config.honeymoonDays} days (after onboarding)`,
    ],
    [
      'declining',
      `近 ${config.trendMonths} 个月资产下降 ≥ ${pct(config.declineDrop)}，或连续 ${config.outflowMonths} 个月净流出合计 ≥ ${pct(config.outflowMinShare)}`,
      `assets down ≥ ${pct(config.declineDrop)} over ${config.trendMonths} months, or ${config.outflowMonths} months of net outflow worth ≥ ${pct(config.outflowMinShare)}`,
    ],
    [
      'growth',
      `近 ${config.trendMonths} 个月资产增长 ≥ ${pct(config.growthRise)}，或价值分层升级`,
      `assets up ≥ ${pct(config.growthRise)} over ${config.trendMonths} months, or a tier upgrade`,
    ],
    [
      'mature',
      `资产稳定（±${pct(config.stableBand)} 以内）且持有 ≥ ${config.matureProducts} 类产品`,
      `assets stable within ±${pct(config.stableBand)} and ≥ ${config.matureProducts} product types held`,
    ],
  ];
  return [
    ...rules.map(([stage, zhRule, enRule]) => ({
      stage,
      label: STAGE_LABELS[stage][locale],
      rule: zh ? zhRule : enRule,
    })),
    {
      stage: config.fallbackStage,
      label: STAGE_LABELS[config.fallbackStage][locale],
      rule: zh
        ? '以上都不符合时（稳定但持有产品较少等）'
        : 'none of the above (stable but shallow, and so on)',
    },
  ];
}
