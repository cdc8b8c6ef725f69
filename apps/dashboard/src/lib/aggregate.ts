import { DEFAULT_CORPORATE_LADDER, DEFAULT_RETAIL_LADDER, type Locale } from '@strata/core';

/** Customers and AUM summed over the stages of each value of a dimension (insight.matrix cells). */
export function sumByValue(
  cells: readonly { value: string; customers: number; aum: number }[],
): { value: string; customers: number; aum: number }[] {
  const m = new Map<string, { customers: number; aum: number }>();
  for (const c of cells) {
    const prev = m.get(c.value) ?? { customers: 0, aum: 0 };
    m.set(c.value, { customers: prev.customers + c.customers, aum: prev.aum + c.aum });
  }
  return [...m.entries()].map(([value, v]) => ({ value, ...v }));
}

/** A tier's name (retail value tier or corporate contribution tier) from core's ladders. */
export function tierLabel(id: string, locale: Locale): string {
  const rung = [...DEFAULT_RETAIL_LADDER, ...DEFAULT_CORPORATE_LADDER].find((r) => r.id === id);
  return rung ? rung.label[locale] : id;
}

/** The retail value tiers, lowest first. */
export const RETAIL_TIERS: readonly string[] = DEFAULT_RETAIL_LADDER.map((r) => r.id);
