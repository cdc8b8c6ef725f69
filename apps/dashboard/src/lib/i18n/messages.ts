import type { Locale } from '@strata/core';

import * as common from './messages/common';
import * as lifecycle from './messages/lifecycle';
import * as login from './messages/login';
import * as setup from './messages/setup';
import * as strategies from './messages/strategies';
import * as board from './messages/board';
import * as map from './messages/map';
import * as overview from './messages/overview';
import * as segments from './messages/segments';
import * as data from './messages/data';
import * as customers from './messages/customers';
import * as settings from './messages/settings';

/**
 * Every string of the dashboard, per locale, gathered from one file per screen
 * (`messages/<screen>.ts`). zh-CN is the reference; en must have the same keys.
 */
const zh = {
  ...common.zh,
  ...lifecycle.zh,
  ...login.zh,
  ...setup.zh,
  ...strategies.zh,
  ...board.zh,
  ...map.zh,
  ...overview.zh,
  ...segments.zh,
  ...data.zh,
  ...customers.zh,
  ...settings.zh,
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  ...common.en,
  ...lifecycle.en,
  ...login.en,
  ...setup.en,
  ...strategies.en,
  ...board.en,
  ...map.en,
  ...overview.en,
  ...segments.en,
  ...data.en,
  ...customers.en,
  ...settings.en,
};

const catalogue: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** A translator for one locale: `t('funnelCaption', { period: '2026-10', scope: '全行' })`. */
export function translator(locale: Locale) {
  const strings = catalogue[locale];
  return (key: MessageKey, params: Record<string, string | number> = {}): string =>
    strings[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The message keys of import refusals (`reason_<code>`), to tell a known code from another. */
export const REASON_KEYS: Readonly<Record<string, true>> = Object.fromEntries(
  Object.keys(zh)
    .filter((k) => k.startsWith('reason_'))
    .map((k) => [k, true]),
);
