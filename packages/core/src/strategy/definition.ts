import { z } from 'zod';
import { CHANNELS } from '../contact/channels.js';
import { MOT_EVENT_TYPES } from '../features/events.js';
import { LIFECYCLE_STAGES } from '../lifecycle/stages.js';
import { conditionSchema } from '../rules/schema.js';
import { modelSelectionSchema } from './scoring.js';

/** What a strategy is for (DOMAIN.md): scale (AUM), customers, fee income (中收). */
export const OBJECTIVES = ['aum', 'active_customers', 'fee_income'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** A strategy's life: drafted, run, paused, retired. */
export const STRATEGY_STATUSES = ['draft', 'active', 'paused', 'retired'] as const;
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number];

const TRANSITIONS: Readonly<Record<StrategyStatus, readonly StrategyStatus[]>> = {
  draft: ['active', 'retired'],
  active: ['paused', 'retired'],
  paused: ['active', 'retired'],
  retired: [],
};

/** Whether a strategy may go from one status to another (a retired one stays retired). */
export function canTransition(from: StrategyStatus, to: StrategyStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Who a strategy is for: a cell of the strategy map, a rule, or a moment-of-truth event. */
export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cell'),
    /** A segment key, or a dimension value such as `aum_tier:3`. */
    segment: z.string().trim().min(1).max(64),
    stage: z.enum(LIFECYCLE_STAGES),
  }),
  z.object({ kind: z.literal('rule'), rule: conditionSchema }),
  z.object({
    kind: z.literal('event'),
    event: z.enum(MOT_EVENT_TYPES),
    /** Act on events this many days old at most. */
    withinDays: z.number().int().min(0).max(90).default(3),
  }),
]);

/** When a strategy's list is made: once, every month on a day, or per event (real time). */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), on: z.iso.date() }),
  z.object({ kind: z.literal('monthly'), day: z.number().int().min(1).max(28) }),
  z.object({ kind: z.literal('trigger') }),
]);

/**
 * A strategy's definition (DESIGN.md §3): every field an edit can change. An edit makes a new
 * version; lists and results keep the version they ran with.
 */
export const strategyDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(100).default(''),
    objective: z.enum(OBJECTIVES),
    audience: audienceSchema,
    /** Product codes offered. */
    products: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    channel: z.enum(CHANNELS),
    /** The script (话术) the RM or the call-out agent follows; compliance reviewed. */
    script: z.string().max(4000).default(''),
    schedule: scheduleSchema,
    /** Higher wins when strategies claim the same customer. */
    priority: z.number().int().min(0).max(100),
    /** Contacts per customer by this strategy per period. */
    contactCap: z.number().int().min(1).max(10).default(1),
    /** The share held back to measure the effect (5–10 % is usual; 0 for none). */
    controlShare: z.number().min(0).max(0.5),
    kpi: z.object({
      metric: z.enum(['conversion_rate', 'aum_change', 'fee_income', 'customers']),
      target: z.number().finite(),
    }),
    /** Days after contact over which results count. */
    evaluationDays: z.number().int().min(1).max(365),
    /** The username of the owner. */
    owner: z.string().trim().min(1).max(64),
    /**
     * A model choosing within the audience (a rule or a map cell): its scorer, how it selects, and
     * whether a rule-selected group is listed beside it for comparison (模型组 vs 非模型组).
     */
    model: modelSelectionSchema.optional(),
  })
  .refine((s) => (s.audience.kind === 'event') === (s.schedule.kind === 'trigger'), {
    message: 'an event audience runs on its trigger, and only an event audience does',
    path: ['schedule'],
  })
  .refine((s) => !(s.model && s.audience.kind === 'event'), {
    message: 'a model selects within a rule or map-cell audience, not an event trigger',
    path: ['model'],
  });

export type StrategyDefinition = z.output<typeof strategyDefinitionSchema>;
export type StrategyDefinitionInput = z.input<typeof strategyDefinitionSchema>;
