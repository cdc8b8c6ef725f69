import type { Locale } from '@strata/core';

const messages = {
  'zh-CN': {
    title: '客户生命周期漏斗',
    loading: '加载中…',
    empty: '该范围内暂无客户',
    error: '无法加载数据',
    notPermitted: '无权查看',
    customers: '客户',
    period: '期间',
    wholeBank: '全行',
    share: '占比',
  },
  en: {
    title: 'Customer lifecycle funnel',
    loading: 'Loading…',
    empty: 'No customers in this scope',
    error: 'Could not load the data',
    notPermitted: 'Not permitted',
    customers: 'customers',
    period: 'Period',
    wholeBank: 'Whole bank',
    share: 'share',
  },
} as const satisfies Record<Locale, Record<string, string>>;

/** The widget strings of a locale. */
export function messagesFor(locale: Locale) {
  return messages[locale];
}
