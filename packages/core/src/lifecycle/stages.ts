import type { Localized } from '../util/i18n.js';

/**
 * The lifecycle stages, in the order a funnel shows them: acquisition, development,
 * retention risk, loss and recovery.
 */
export const LIFECYCLE_STAGES = [
  'prospect',
  'onboarding',
  'honeymoon',
  'growth',
  'mature',
  'declining',
  'dormant',
  'churned',
  'winback',
] as const;

/** A lifecycle stage. */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** The stages' display names. */
export const STAGE_LABELS: Readonly<Record<LifecycleStage, Localized>> = {
  prospect: { 'zh-CN': '潜在', en: 'Prospect' },
  onboarding: { 'zh-CN': '新客', en: 'Onboarding' },
  honeymoon: { 'zh-CN': '蜜月期', en: 'Honeymoon' },
  growth: { 'zh-CN': '成长', en: 'Growth' },
  mature: { 'zh-CN': '成熟', en: 'Mature' },
  declining: { 'zh-CN': '衰退', en: 'Declining' },
  dormant: { 'zh-CN': '沉睡', en: 'Dormant' },
  churned: { 'zh-CN': '流失', en: 'Churned' },
  winback: { 'zh-CN': '挽回', en: 'Win-back' },
};

/** The phase each stage belongs to, for grouping and colour. */
export const STAGE_PHASE: Readonly<
  Record<LifecycleStage, 'acquire' | 'develop' | 'retain' | 'recover'>
> = {
  prospect: 'acquire',
  onboarding: 'acquire',
  honeymoon: 'acquire',
  growth: 'develop',
  mature: 'develop',
  declining: 'retain',
  dormant: 'retain',
  churned: 'recover',
  winback: 'recover',
};

/** The stage's code in a `Uint8Array` of stages (its index in LIFECYCLE_STAGES). */
export function stageCode(stage: LifecycleStage): number {
  return LIFECYCLE_STAGES.indexOf(stage);
}

/** The stage of a code; throws on a code that names none. */
export function stageOf(code: number): LifecycleStage {
  const stage = LIFECYCLE_STAGES[code];
  if (stage === undefined) throw new RangeError(`No lifecycle stage has code ${code}`);
  return stage;
}

/** True when `value` names a lifecycle stage. */
export function isLifecycleStage(value: string): value is LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value);
}
