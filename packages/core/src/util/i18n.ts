/** The languages Strata speaks. zh-CN is the default everywhere. */
export type Locale = 'zh-CN' | 'en';

/** The supported locales, default first. */
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** A text in every supported language. */
export type Localized = Readonly<Record<Locale, string>>;

/** Reads `value` as a locale, falling back to zh-CN. */
export function toLocale(value: string | null | undefined): Locale {
  return value === 'en' || value?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}
