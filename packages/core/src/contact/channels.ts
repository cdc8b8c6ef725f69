import type { Localized } from '../util/i18n.js';

/** The channels a strategy reaches customers through (DESIGN.md §3). */
export const CHANNELS = ['branch_rm', 'call_out', 'app_push', 'sms', 'wecom'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Display names of the channels. */
export const CHANNEL_LABELS: Readonly<Record<Channel, Localized>> = {
  branch_rm: { 'zh-CN': '网点/客户经理', en: 'branch / RM' },
  call_out: { 'zh-CN': '远程银行外呼', en: 'remote banking call-out' },
  app_push: { 'zh-CN': '手机银行推送', en: 'app push' },
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wecom: { 'zh-CN': '企业微信', en: 'WeCom' },
};

/** A customer's marketing consent on a channel (PIPL: a separate consent per purpose). */
export type ConsentStatus = 'granted' | 'withdrawn' | 'unknown';

/**
 * May a strategy contact a customer on a channel? Only with consent granted and no opt-out;
 * an unknown consent is a no, as the bank must be able to show the consent.
 */
export function mayContact(consent: ConsentStatus, optedOut: boolean): boolean {
  return consent === 'granted' && !optedOut;
}
