import type { Locale } from '@strata/core';

/** Every string of the dashboard, per locale. zh-CN is the reference; en must have the same keys. */
const zh = {
  appName: 'Strata 客户经营',
  navLifecycle: '生命周期',
  switchLanguage: 'English',
  lifecycleTitle: '客户生命周期',
  lifecycleLead: '各阶段客户数与资产，以及本期相对上期的阶段迁移。',
  period: '期间',
  branch: '机构',
  wholeBank: '全行',
  apply: '查看',
  customers: '客户数',
  aum: '管理资产（月日均）',
  funnelTitle: '生命周期漏斗',
  funnelCaption: '{period} · {scope}',
  migrationTitle: '阶段迁移：{from} → {to}',
  migrationFrom: '{from}（行）',
  migrationTo: '{to}（列）',
  arrivals: '新增客户',
  stayed: '保持原阶段',
  moved: '迁移',
  noRun: '尚无生命周期结果：请先导入数据并刷新。',
  loadError: '数据加载失败',
  empty: '该范围内暂无客户',
  share: '占比',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'Strata customer operations',
  navLifecycle: 'Lifecycle',
  switchLanguage: '中文',
  lifecycleTitle: 'Customer lifecycle',
  lifecycleLead: 'Customers and AUM per stage, and how customers moved since the previous period.',
  period: 'Period',
  branch: 'Branch',
  wholeBank: 'Whole bank',
  apply: 'Show',
  customers: 'Customers',
  aum: 'AUM (monthly average)',
  funnelTitle: 'Lifecycle funnel',
  funnelCaption: '{period} · {scope}',
  migrationTitle: 'Stage migration: {from} → {to}',
  migrationFrom: '{from} (rows)',
  migrationTo: '{to} (columns)',
  arrivals: 'New customers',
  stayed: 'Stayed in stage',
  moved: 'Moved',
  noRun: 'No lifecycle results yet: import data and refresh.',
  loadError: 'Could not load the data',
  empty: 'No customers in this scope',
  share: 'share',
};

const catalogue: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** A translator for one locale: `t('funnelCaption', { period: '2026-10', scope: '全行' })`. */
export function translator(locale: Locale) {
  const strings = catalogue[locale];
  return (key: MessageKey, params: Record<string, string | number> = {}): string =>
    strings[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
