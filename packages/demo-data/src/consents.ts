import { deriveSeed, mix32 } from '@strata/core';
import type { CustomerRecord } from './types.js';

/** A customer's marketing consent on one channel, as a bank's CRM would hold it. */
export interface DemoConsent {
  readonly customerId: number;
  readonly channel: 'branch_rm' | 'call_out' | 'app_push' | 'sms' | 'wecom';
  readonly consent: 'granted' | 'withdrawn';
  readonly optedOut: boolean;
  readonly source: string;
  readonly updatedOn: string;
}

/** A uniform number in [0, 1) from a seed, a customer and a channel (no shared RNG state). */
function unit(seed: number, id: number, salt: number): number {
  return mix32(deriveSeed(seed, id) ^ salt) / 2 ** 32;
}

/**
 * Who agreed to be contacted how (PIPL: one consent per channel and purpose). Most customers
 * signed the branch form; fewer agreed to calls; app pushes go to customers who use the app;
 * WeCom to those with an RM. Some withdrew, and a few who agreed later said "stop" (opt-out).
 * No record means unknown: not contactable. Deterministic in the seed and the customer.
 */
export function consentsOf(record: CustomerRecord, seed: number): DemoConsent[] {
  const c = record.customer;
  const last = record.metrics[record.metrics.length - 1];
  const usesApp = (last?.digitalLogins ?? 0) > 0;
  const retail = c.kind === 'retail';
  const plan: [DemoConsent['channel'], number, number, string][] = [
    // channel, share granted, share withdrawn, where the consent was given
    ['branch_rm', retail ? 0.9 : 0.95, 0.02, 'branch form'],
    ['sms', retail ? 0.8 : 0.6, 0.08, 'branch form'],
    ['call_out', retail ? 0.6 : 0.5, 0.15, 'call centre'],
    ['app_push', usesApp ? 0.75 : 0.15, 0.05, 'mobile app'],
    ['wecom', c.rmId !== null ? (retail ? 0.5 : 0.7) : 0.05, 0.05, 'WeCom'],
  ];
  const out: DemoConsent[] = [];
  plan.forEach(([channel, granted, withdrawn, source], k) => {
    const u = unit(seed, c.id, k + 1);
    if (u >= granted + withdrawn) return; // unknown: no record
    out.push({
      customerId: c.id,
      channel,
      consent: u < granted ? 'granted' : 'withdrawn',
      optedOut: u < granted && unit(seed, c.id, k + 101) < 0.03,
      source,
      updatedOn: c.linkedOn,
    });
  });
  return out;
}
