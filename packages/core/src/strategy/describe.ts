import { EVENT_LABELS } from '../features/events.js';
import { NO_SEGMENT } from '../insight/refresh.js';
import { STAGE_LABELS } from '../lifecycle/stages.js';
import { describeRule } from '../rules/sentence.js';
import type { Locale } from '../util/i18n.js';
import type { StrategyDefinition } from './definition.js';

/** A strategy's audience in words: "代发客群 × 成熟期", the rule's sentence, or the event. */
export function describeAudience(
  definition: Pick<StrategyDefinition, 'audience' | 'model'>,
  segments: readonly { key: string; name: string; nameEn: string }[],
  locale: Locale,
): string {
  const a = definition.audience;
  const base =
    a.kind === 'cell'
      ? `${
          a.segment === NO_SEGMENT
            ? locale === 'en'
              ? 'no segment'
              : '未归入客群'
            : ((locale === 'en'
                ? segments.find((s) => s.key === a.segment)?.nameEn
                : segments.find((s) => s.key === a.segment)?.name) ?? a.segment)
        } × ${STAGE_LABELS[a.stage][locale]}`
      : a.kind === 'rule'
        ? describeRule(a.rule, locale)
        : `${EVENT_LABELS[a.event][locale]} (${locale === 'en' ? `within ${a.withinDays} days` : `${a.withinDays} 天内`})`;
  if (!definition.model) return base;
  const m = definition.model;
  const how =
    m.select.kind === 'top'
      ? locale === 'en'
        ? `top ${Math.round(m.select.share * 100)} % by ${m.scorer}`
        : `${m.scorer} 评分前 ${Math.round(m.select.share * 100)}%`
      : locale === 'en'
        ? `${m.scorer} ≥ ${m.select.min}`
        : `${m.scorer} ≥ ${m.select.min}`;
  return `${base} · ${how}${m.compare ? (locale === 'en' ? ' (vs rule group)' : '（对比非模型组）') : ''}`;
}
