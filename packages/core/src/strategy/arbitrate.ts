import { CHANNELS, type Channel } from '../contact/channels.js';

/** A strategy wanting to contact a customer on a channel. */
export interface Claim {
  readonly customerId: number;
  readonly strategyKey: string;
  /** Higher wins. */
  readonly priority: number;
  readonly channel: Channel;
}

/** The bank's contact policy (DOMAIN.md: caps, quiet hours, cooling-off, opt-out). */
export interface ContactPolicy {
  /** Channels in order of preference, for claims of equal priority. */
  readonly channelPriority: readonly Channel[];
  /** Contacts a customer may receive per period, over all channels. */
  readonly perCustomer: number;
  /** Contacts a customer may receive per period on each channel (absent: `perCustomer`). */
  readonly perChannel: Readonly<Partial<Record<Channel, number>>>;
  /** Days after a refusal (a declined contact) during which the customer is not contacted. */
  readonly coolingOffDays: number;
  /** Hours of the local day when nobody is contacted: from `start` to `end` (may wrap midnight). */
  readonly quietHours: { readonly start: number; readonly end: number };
  /** The bank's local time, as minutes east of UTC (China: +480). */
  readonly utcOffsetMinutes: number;
}

/** A policy most Chinese retail banks would start from; every number is configurable. */
export const DEFAULT_CONTACT_POLICY: ContactPolicy = {
  channelPriority: ['branch_rm', 'wecom', 'call_out', 'app_push', 'sms'],
  perCustomer: 2,
  perChannel: { call_out: 1, sms: 2, app_push: 2, wecom: 2, branch_rm: 2 },
  coolingOffDays: 30,
  quietHours: { start: 21, end: 8 },
  utcOffsetMinutes: 480,
};

/** What is known about a customer before this run: consent, refusals, contacts so far. */
export interface ContactFacts {
  /** Consent granted and no opt-out on the channel (see `mayContact`). */
  mayContact(customerId: number, channel: Channel): boolean;
  /** The day (days since 1970-01-01) of the customer's last refusal, if any. */
  lastRefusalDay(customerId: number): number | undefined;
  /** Contacts already made or listed this period on a channel. */
  contactsThisPeriod(customerId: number, channel: Channel): number;
}

/** Why a claim was or was not listed. */
export type ClaimOutcome =
  'listed' | 'not_contactable' | 'cooling_off' | 'channel_cap' | 'customer_cap' | 'duplicate';

export interface Decision {
  readonly claim: Claim;
  readonly outcome: ClaimOutcome;
  /** For a claim refused by a cap: the strategies listed for the customer before it. */
  readonly listedBefore?: readonly string[];
}

/**
 * Decides, for every claim, whether its strategy may contact the customer on its channel this
 * period: the customer must be contactable on the channel (consent, no opt-out), not in
 * cooling-off after a refusal, and the per-channel and per-customer caps must hold, counting the
 * contacts already made. Claims on one customer are taken by priority (higher first), then by the
 * channel's rank in the policy, then by strategy key, so the result does not depend on the order
 * of the input. A strategy claiming the same customer twice keeps the first, better claim.
 */
export function arbitrate(
  claims: readonly Claim[],
  policy: ContactPolicy,
  facts: ContactFacts,
  today: number,
): Decision[] {
  const decisions: Decision[] = [];
  arbitrateEach(claims, policy, facts, today, (d) => decisions.push(d));
  return decisions;
}

/** `arbitrate`, handing each decision to `decide` in order instead of collecting them. */
export function arbitrateEach(
  claims: readonly Claim[],
  policy: ContactPolicy,
  facts: ContactFacts,
  today: number,
  decide: (decision: Decision) => void,
): void {
  const rank = new Map<Channel, number>(CHANNELS.map((c) => [c, policy.channelPriority.length]));
  policy.channelPriority.forEach((c, i) => rank.set(c, i));
  const order = orderClaims(
    claims,
    (a, b) =>
      b.priority - a.priority ||
      (rank.get(a.channel) as number) - (rank.get(b.channel) as number) ||
      (a.strategyKey < b.strategyKey ? -1 : a.strategyKey > b.strategyKey ? 1 : 0),
  );
  const channelIndex = new Map<Channel, number>(CHANNELS.map((c, k) => [c, k]));
  const channelCap = CHANNELS.map((c) => policy.perChannel[c] ?? policy.perCustomer);
  const perChannel = new Int32Array(CHANNELS.length);
  const seen: string[] = [];
  // (a plain loop per customer: a bank-sized run takes a million of them)
  let i = 0;
  while (i < order.length) {
    const customerId = (order[i] as Claim).customerId;
    let j = i;
    while (j < order.length && (order[j] as Claim).customerId === customerId) j++;
    let total = 0;
    for (let k = 0; k < CHANNELS.length; k++) {
      const n = facts.contactsThisPeriod(customerId, CHANNELS[k] as Channel);
      perChannel[k] = n;
      total += n;
    }
    const refused = facts.lastRefusalDay(customerId);
    const cooling = refused !== undefined && today - refused < policy.coolingOffDays;
    const several = j - i > 1;
    if (several) seen.length = 0;
    let listed: string[] | null = null;
    for (let k = i; k < j; k++) {
      const claim = order[k] as Claim;
      const c = channelIndex.get(claim.channel) as number;
      let outcome: ClaimOutcome;
      if (several && seen.includes(claim.strategyKey)) outcome = 'duplicate';
      else if (!facts.mayContact(customerId, claim.channel)) outcome = 'not_contactable';
      else if (cooling) outcome = 'cooling_off';
      else if ((perChannel[c] as number) >= (channelCap[c] as number)) outcome = 'channel_cap';
      else if (total >= policy.perCustomer) outcome = 'customer_cap';
      else outcome = 'listed';
      if (several) seen.push(claim.strategyKey);
      if (outcome === 'listed') {
        perChannel[c] = (perChannel[c] as number) + 1;
        total++;
        (listed ??= []).push(claim.strategyKey);
        decide({ claim, outcome });
      } else if (outcome === 'channel_cap' || outcome === 'customer_cap')
        decide({ claim, outcome, listedBefore: listed ? [...listed] : [] });
      else decide({ claim, outcome });
    }
    i = j;
  }
}

/**
 * The claims by customer id, then by `compare` within a customer, as a stable sort would give
 * them — by counting the (dense, whole) customer ids instead of comparing: a bank-sized run
 * arbitrates about a million claims, which a comparison sort took ~0.5 s to order.
 */
function orderClaims(claims: readonly Claim[], compare: (a: Claim, b: Claim) => number): Claim[] {
  const byCustomer = (a: Claim, b: Claim) => a.customerId - b.customerId || compare(a, b);
  let max = -1;
  for (const c of claims) {
    const id = c.customerId;
    if (!Number.isInteger(id) || id < 0) return [...claims].sort(byCustomer);
    if (id > max) max = id;
  }
  if (max > 4 * claims.length + 1_000_000) return [...claims].sort(byCustomer);
  const next = new Int32Array(max + 2);
  for (const c of claims) next[c.customerId + 1] = (next[c.customerId + 1] as number) + 1;
  for (let id = 1; id <= max + 1; id++) next[id] = (next[id] as number) + (next[id - 1] as number);
  const out = new Array<Claim>(claims.length);
  for (const c of claims) {
    const at = next[c.customerId] as number;
    out[at] = c;
    next[c.customerId] = at + 1;
  }
  // Within a customer (a few claims each), a stable insertion sort.
  let from = 0;
  while (from < out.length) {
    const id = (out[from] as Claim).customerId;
    let to = from + 1;
    while (to < out.length && (out[to] as Claim).customerId === id) to++;
    for (let k = from + 1; k < to; k++) {
      const claim = out[k] as Claim;
      let at = k;
      while (at > from && compare(out[at - 1] as Claim, claim) > 0) {
        out[at] = out[at - 1] as Claim;
        at--;
      }
      out[at] = claim;
    }
    from = to;
  }
  return out;
}

/**
 * The first moment at or after `at` outside the policy's quiet hours (a real-time task raised at
 * 23:10 is due at 08:00 the next morning, bank time).
 */
export function nextContactTime(at: Date, policy: ContactPolicy): Date {
  const { start, end } = policy.quietHours;
  if (start === end) return at;
  const offset = policy.utcOffsetMinutes * 60_000;
  const local = new Date(at.getTime() + offset);
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
  const quiet = start < end ? hour >= start && hour < end : hour >= start || hour < end;
  if (!quiet) return at;
  const due = new Date(local);
  due.setUTCHours(end, 0, 0, 0);
  if (due.getTime() <= local.getTime()) due.setUTCDate(due.getUTCDate() + 1);
  return new Date(due.getTime() - offset);
}
