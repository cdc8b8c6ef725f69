import { formatCompact, formatShare } from '../util/format.js';
import type { Locale } from '../util/i18n.js';
import type { LifecycleExplanation } from './evaluate.js';
import { STAGE_LABELS } from './stages.js';

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
