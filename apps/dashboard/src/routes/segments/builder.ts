import {
  FEATURES,
  FEATURE_KEYS,
  type Condition,
  type FeatureKey,
  type Locale,
  type MotEventType,
} from '@strata/core';

/** One row of the visual rule builder: a comparison on a feature, or a recent event. */
export type BuilderRow =
  | { kind: 'cmp'; field: FeatureKey; op: string; value: string }
  | { kind: 'event'; event: MotEventType; withinDays: number };

/** The operators a feature's type allows. */
export function operatorsFor(field: FeatureKey): readonly string[] {
  const type = FEATURES[field].type;
  return type === 'number' ? ['>=', '>', '<=', '<', '=', '!='] : ['=', '!='];
}

/** The features offered in the builder, labelled, numbers first. */
export function featureChoices(locale: Locale): { key: FeatureKey; label: string; type: string }[] {
  return FEATURE_KEYS.map((key) => ({
    key,
    label: FEATURES[key].label[locale],
    type: FEATURES[key].type,
  })).sort((a, b) => a.type.localeCompare(b.type) || a.label.localeCompare(b.label));
}

/** The values a category feature takes (with labels), or null for other types. */
export function valuesFor(
  field: FeatureKey,
  locale: Locale,
): { value: string; label: string }[] | null {
  const def = FEATURES[field];
  if (def.type !== 'category' || !('values' in def) || !def.values) return null;
  const labels = ('valueLabels' in def ? def.valueLabels : undefined) as
    Record<string, Record<Locale, string>> | undefined;
  return def.values.map((v: string) => ({ value: v, label: labels?.[v]?.[locale] ?? v }));
}

/**
 * The condition the rows make (all of them, or any of them), or the reason it cannot be made
 * yet (an empty or non-numeric value). One row stands alone, without a group.
 */
export function toCondition(
  rows: readonly BuilderRow[],
  join: 'and' | 'or',
): { rule: Condition } | { problem: string } {
  const parts: Condition[] = [];
  for (const [i, r] of rows.entries()) {
    if (r.kind === 'event') {
      parts.push({ kind: 'event', event: r.event, withinDays: r.withinDays });
      continue;
    }
    const type = FEATURES[r.field].type;
    if (r.value.trim() === '') return { problem: `row ${i + 1}: no value` };
    let value: number | string | boolean = r.value.trim();
    if (type === 'number') {
      value = Number(value);
      if (!Number.isFinite(value)) return { problem: `row ${i + 1}: not a number` };
    } else if (type === 'boolean') value = value === 'true';
    parts.push({
      kind: 'cmp',
      field: r.field,
      op: r.op as '=' | '!=' | '<' | '<=' | '>' | '>=',
      value,
    });
  }
  if (parts.length === 0) return { problem: 'no condition' };
  return { rule: parts.length === 1 ? (parts[0] as Condition) : { kind: join, of: parts } };
}

/**
 * The builder rows of a condition it can show (comparisons and events, all of them or any of
 * them), or null for one it cannot (nested groups, ranges): those stay in the JSON view.
 */
export function fromCondition(rule: Condition): { rows: BuilderRow[]; join: 'and' | 'or' } | null {
  const parts = rule.kind === 'and' || rule.kind === 'or' ? rule.of : [rule];
  const rows: BuilderRow[] = [];
  for (const p of parts) {
    if (p.kind === 'cmp')
      rows.push({ kind: 'cmp', field: p.field, op: p.op, value: String(p.value) });
    else if (p.kind === 'event')
      rows.push({ kind: 'event', event: p.event, withinDays: p.withinDays });
    else return null;
  }
  return { rows, join: rule.kind === 'or' ? 'or' : 'and' };
}
