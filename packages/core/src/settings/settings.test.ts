import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_CONFIG } from '../lifecycle/config.js';
import { DEFAULT_BANK_SETTINGS, bankSettingsSchema, lifecycleConfigOf } from './settings.js';

const issues = (input: unknown) => {
  const parsed = bankSettingsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('bank settings', () => {
  it('accepts the defaults, whole or in parts, and gives back the default lifecycle config', () => {
    expect(issues(DEFAULT_BANK_SETTINGS)).toEqual([]);
    expect(issues({ contactPolicy: DEFAULT_BANK_SETTINGS.contactPolicy })).toEqual([]);
    expect(lifecycleConfigOf(DEFAULT_BANK_SETTINGS)).toEqual(DEFAULT_LIFECYCLE_CONFIG);
  });

  it('says which rung, field or threshold is wrong, and why', () => {
    const ladder = DEFAULT_BANK_SETTINGS.retailLadder.map((r) => ({ ...r }));
    (ladder[2] as { min: number }).min = 10_000; // below the gold rung's 50,000
    expect(issues({ retailLadder: ladder })).toEqual([
      'retailLadder.2.min: must be above the rung below (50000)',
    ]);
    expect(
      issues({ lifecycle: { ...DEFAULT_BANK_SETTINGS.lifecycle, onboardingDays: 200 } }),
    ).toEqual([
      'lifecycle.onboardingDays: the onboarding period cannot be longer than the honeymoon',
    ]);
    expect(
      issues({
        contactPolicy: {
          ...DEFAULT_BANK_SETTINGS.contactPolicy,
          channelPriority: ['sms', 'sms', 'wecom', 'call_out', 'app_push'],
        },
      }),
    ).toEqual(['contactPolicy.channelPriority: list every channel once']);
    expect(issues({ colour: 'red' })[0]).toMatch(/Unrecognized key/);
  });
});
