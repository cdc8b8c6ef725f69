import { FEATURES, type FeatureDef, type TrendMetric } from '../features/catalog.js';
import { EVENT_LABELS } from '../features/events.js';
import { formatCompact, formatCount } from '../util/format.js';
import type { Locale, Localized } from '../util/i18n.js';
import type { Comparison, Condition } from './schema.js';

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

const TREND_LABELS: Readonly<Record<TrendMetric, Localized>> = {
  aum_avg: L('管理资产', 'AUM'),
  deposits_avg: L('存款', 'deposits'),
  wealth: L('理财', 'wealth products'),
  product_types: L('持有产品类数', 'product types held'),
  active_txn_count: L('主动交易笔数', 'own transactions'),
  digital_logins: L('线上登录次数', 'digital logins'),
  settlement_flow: L('结算流量', 'settlement flow'),
  fee_income: L('中收', 'fee income'),
};

const SYMBOL: Record<Comparison, string> = {
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
};

function percent(v: number): string {
  const p = Math.round(v * 1000) / 10;
  return `${p > 0 ? '+' : ''}${p}%`;
}

function valueText(def: FeatureDef, value: number | string | boolean, locale: Locale): string {
  const zh = locale === 'zh-CN';
  if (def.type === 'category') return def.valueLabels?.[String(value)]?.[locale] ?? String(value);
  if (def.type === 'boolean') return value ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
  const v = value as number;
  switch (def.unit) {
    case 'rmb':
      return zh ? `${formatCompact(v, locale)}元` : `RMB ${formatCompact(v, locale)}`;
    case 'ratio':
      return percent(v);
    case 'days':
      return zh ? `${formatCount(v)} 天` : `${formatCount(v)} days`;
    case 'years':
      return zh ? `${v} 岁` : `${v} years`;
    case 'persons':
      return zh ? `${formatCount(v)} 人` : `${formatCount(v)} people`;
    case 'count':
      return Number.isInteger(v) ? formatCount(v) : String(v);
  }
}

function sentence(rule: Condition, locale: Locale, nested: boolean): string {
  const zh = locale === 'zh-CN';
  const group = (text: string) => (nested ? (zh ? `（${text}）` : `(${text})`) : text);
  switch (rule.kind) {
    case 'and':
    case 'or': {
      if (rule.of.length === 1) return sentence(rule.of[0] as Condition, locale, nested);
      const joiner = rule.kind === 'and' ? (zh ? ' 且 ' : ' and ') : zh ? ' 或 ' : ' or ';
      return group(rule.of.map((c) => sentence(c, locale, true)).join(joiner));
    }
    case 'not':
      return zh
        ? `并非${sentence(rule.of, locale, true)}`
        : `not ${sentence(rule.of, locale, true)}`;
    case 'cmp': {
      const def = FEATURES[rule.field];
      const label = def.label[locale];
      const value = valueText(def, rule.value, locale);
      if (def.type === 'number') return `${label} ${SYMBOL[rule.op]} ${value}`;
      if (zh) return `${label}${rule.op === '=' ? '为' : '不为'}${value}`;
      return `${label} ${rule.op === '=' ? 'is' : 'is not'} ${value}`;
    }
    case 'between': {
      const def = FEATURES[rule.field];
      const [min, max] = [valueText(def, rule.min, locale), valueText(def, rule.max, locale)];
      return zh
        ? `${def.label[locale]}介于 ${min} 与 ${max} 之间`
        : `${def.label[locale]} between ${min} and ${max}`;
    }
    case 'in': {
      const def = FEATURES[rule.field];
      const values = rule.values.map((v) => valueText(def, v, locale)).join(zh ? '、' : ', ');
      return zh
        ? `${def.label[locale]}为 ${values} 之一`
        : `${def.label[locale]} is one of ${values}`;
    }
    case 'null':
      return zh
        ? `${FEATURES[rule.field].label[locale]}无数据`
        : `${FEATURES[rule.field].label[locale]} is missing`;
    case 'event': {
      const label = EVENT_LABELS[rule.event][locale];
      return zh
        ? `近 ${rule.withinDays} 天内有「${label}」`
        : `had "${label}" in the last ${rule.withinDays} days`;
    }
    case 'trend': {
      const label = TREND_LABELS[rule.metric][locale];
      return zh
        ? `${label}近 ${rule.months} 个月变动 ${SYMBOL[rule.op]} ${percent(rule.value)}`
        : `${label} change over ${rule.months} months ${SYMBOL[rule.op]} ${percent(rule.value)}`;
    }
  }
}

/**
 * A rule as a sentence a strategist reads.
 * @example describeRule({ kind: 'cmp', field: 'aum', op: '>=', value: 500000 }, 'zh-CN') // '管理资产月日均 ≥ 50万元'
 */
export function describeRule(rule: Condition, locale: Locale): string {
  return sentence(rule, locale, false);
}
