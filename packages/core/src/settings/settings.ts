import { z } from 'zod';
import { CHANNELS } from '../contact/channels.js';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from '../lifecycle/config.js';
import { LIFECYCLE_STAGES } from '../lifecycle/stages.js';
import { DEFAULT_CONTACT_POLICY, type ContactPolicy } from '../strategy/arbitrate.js';
import { DEFAULT_RETAIL_LADDER, type TierRung } from '../tiers/aum-ladder.js';
import { DEFAULT_CORPORATE_LADDER } from '../tiers/ladder.js';

/**
 * The settings a bank tunes without a release (DOMAIN.md's defaults, all configurable): the
 * lifecycle thresholds, the retail value and corporate contribution ladders, and the contact
 * policy. Stored per bank; the refreshes and list generation read them.
 */
export interface BankSettings {
  readonly lifecycle: Omit<LifecycleConfig, 'ladder'>;
  readonly retailLadder: readonly TierRung[];
  readonly corporateLadder: readonly TierRung[];
  readonly contactPolicy: ContactPolicy;
}

/** The defaults: DOMAIN.md's. */
export const DEFAULT_BANK_SETTINGS: BankSettings = {
  lifecycle: (({ ladder: _ladder, ...rest }) => rest)(DEFAULT_LIFECYCLE_CONFIG),
  retailLadder: DEFAULT_RETAIL_LADDER,
  corporateLadder: DEFAULT_CORPORATE_LADDER,
  contactPolicy: DEFAULT_CONTACT_POLICY,
};

const share = z.number().gt(0).lt(1);
const days = (max: number) => z.number().int().min(1).max(max);

const lifecycleSchema = z
  .object({
    zeroAum: z.number().min(0).max(1e6),
    onboardingDays: days(365),
    honeymoonDays: days(730),
    dormantDays: days(1095),
    trendMonths: z.number().int().min(1).max(12),
    trendMinAum: z.number().min(0).max(1e7),
    declineDrop: share,
    outflowMonths: z.number().int().min(1).max(12),
    outflowMinShare: share,
    growthRise: share,
    stableBand: share,
    matureProducts: z.number().int().min(1).max(20),
    fallbackStage: z.enum(LIFECYCLE_STAGES),
  })
  .strict()
  .refine((c) => c.onboardingDays <= c.honeymoonDays, {
    message: 'the onboarding period cannot be longer than the honeymoon',
    path: ['onboardingDays'],
  });

const ladderSchema = z
  .array(
    z.object({
      id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
      min: z.number().min(0).max(1e13),
      label: z.object({
        'zh-CN': z.string().trim().min(1).max(20),
        en: z.string().trim().min(1).max(40),
      }),
    }),
  )
  .min(2)
  .max(10)
  .superRefine((rungs, ctx) => {
    if (rungs[0]?.min !== 0)
      ctx.addIssue({ code: 'custom', message: 'the lowest rung starts at 0', path: [0, 'min'] });
    rungs.forEach((r, i) => {
      const before = rungs[i - 1];
      if (before && r.min <= before.min)
        ctx.addIssue({
          code: 'custom',
          message: `must be above the rung below (${before.min})`,
          path: [i, 'min'],
        });
      if (rungs.findIndex((x) => x.id === r.id) !== i)
        ctx.addIssue({ code: 'custom', message: `the id ${r.id} is used twice`, path: [i, 'id'] });
    });
  });

const contactPolicySchema = z
  .object({
    channelPriority: z
      .array(z.enum(CHANNELS))
      .length(CHANNELS.length)
      .refine((list) => new Set(list).size === list.length, 'list every channel once'),
    perCustomer: z.number().int().min(1).max(31),
    perChannel: z.partialRecord(z.enum(CHANNELS), z.number().int().min(0).max(31)),
    coolingOffDays: z.number().int().min(0).max(365),
    quietHours: z.object({
      start: z.number().int().min(0).max(23),
      end: z.number().int().min(0).max(23),
    }),
    utcOffsetMinutes: z.number().int().min(-720).max(840),
  })
  .strict();

/** The settings as stored and as an update gives them (each part whole, any part left out). */
export const bankSettingsSchema = z
  .object({
    lifecycle: lifecycleSchema,
    retailLadder: ladderSchema,
    corporateLadder: ladderSchema,
    contactPolicy: contactPolicySchema,
  })
  .partial()
  .strict();

export type BankSettingsUpdate = z.input<typeof bankSettingsSchema>;

/** The lifecycle configuration the settings give (the retail ladder marks upgrades). */
export function lifecycleConfigOf(settings: BankSettings): LifecycleConfig {
  return { ...settings.lifecycle, ladder: settings.retailLadder };
}
