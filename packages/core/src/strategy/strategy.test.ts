import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../contact/channels.js';
import {
  DEFAULT_CONTACT_POLICY,
  arbitrate,
  nextContactTime,
  type Claim,
  type ContactFacts,
  type ContactPolicy,
  type Decision,
} from './arbitrate.js';
import { assignArm, splitPosition } from './control.js';

describe('control groups', () => {
  it('runs its property tests from the suite-wide seed', () => {
    expect(fc.readConfigureGlobal().seed).toBe(20261122);
  });

  it('hold back the set share within binomial tolerance, for any strategy and share (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (key, share, firstId) => {
          const n = 20_000;
          let control = 0;
          for (let id = firstId; id < firstId + n; id++)
            if (assignArm(id, key, share) === 'control') control++;
          const sd = Math.sqrt(n * share * (1 - share));
          // 5 standard deviations: a false alarm about once in 3.5 million cases
          expect(Math.abs(control - n * share)).toBeLessThan(5 * sd);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('give the same arm every time, and new customers do not move anyone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 200 }), fc.string(), (ids, key) => {
        const first = ids.map((id) => assignArm(id, key, 0.1));
        const more = [...ids, ...ids.map((id) => id + 1_000_000)].map((id) =>
          assignArm(id, key, 0.1),
        );
        expect(more.slice(0, ids.length)).toEqual(first);
      }),
    );
  });

  it('split each strategy independently of the others', () => {
    const n = 50_000;
    let both = 0;
    let a = 0;
    let b = 0;
    for (let id = 1; id <= n; id++) {
      const inA = splitPosition(id, 'wealth-maturity') < 0.1;
      const inB = splitPosition(id, 'payroll-activation') < 0.1;
      if (inA) a++;
      if (inB) b++;
      if (inA && inB) both++;
    }
    // independent: P(both) ≈ P(A)·P(B) = 1 %; 500 ± 22 (sd)
    expect(Math.abs(both - (a * b) / n)).toBeLessThan(5 * Math.sqrt((a * b) / n));
  });

  it('refuses a share outside [0, 1)', () => {
    expect(() => assignArm(1, 'x', 1)).toThrow(/a control share is in \[0, 1\)/);
    expect(() => assignArm(1, 'x', -0.1)).toThrow(RangeError);
  });
});

/** Facts for tests: who may be contacted, refusals and earlier contacts, from plain data. */
function factsOf(world: {
  blocked: ReadonlySet<string>;
  refused: ReadonlyMap<number, number>;
  earlier: ReadonlyMap<string, number>;
}): ContactFacts {
  return {
    mayContact: (id, channel) => !world.blocked.has(`${id}:${channel}`),
    lastRefusalDay: (id) => world.refused.get(id),
    contactsThisPeriod: (id, channel) => world.earlier.get(`${id}:${channel}`) ?? 0,
  };
}

const TODAY = 20_400;

describe('arbitration', () => {
  const claim = (
    customerId: number,
    strategyKey: string,
    priority: number,
    channel: Channel,
  ): Claim => ({
    customerId,
    strategyKey,
    priority,
    channel,
  });

  it('lists by priority, then channel preference, within the caps, and says why the rest are not', () => {
    const policy: ContactPolicy = {
      ...DEFAULT_CONTACT_POLICY,
      perCustomer: 2,
      perChannel: { sms: 1 },
    };
    const facts = factsOf({
      blocked: new Set(['2:call_out']),
      refused: new Map([[3, TODAY - 10]]),
      earlier: new Map([['4:sms', 1]]),
    });
    const decisions = arbitrate(
      [
        claim(1, 'low', 10, 'sms'),
        claim(1, 'high', 90, 'branch_rm'),
        claim(1, 'mid-sms', 50, 'sms'),
        claim(1, 'mid-app', 50, 'app_push'),
        claim(2, 'calls', 50, 'call_out'),
        claim(3, 'any', 50, 'sms'),
        claim(4, 'sms-again', 50, 'sms'),
        claim(1, 'high', 80, 'sms'),
      ],
      policy,
      facts,
      TODAY,
    );
    const by = Object.fromEntries(
      decisions.map((d) => [`${d.claim.customerId}:${d.claim.strategyKey}:${d.claim.channel}`, d]),
    );
    expect(by['1:high:branch_rm']?.outcome).toBe('listed');
    expect(by['1:high:sms']?.outcome).toBe('duplicate');
    // equal priority: the app push (ranked before SMS in the policy) comes first
    expect(by['1:mid-app:app_push']?.outcome).toBe('listed');
    expect(by['1:mid-sms:sms']).toMatchObject({
      outcome: 'customer_cap',
      listedBefore: ['high', 'mid-app'],
    });
    expect(by['1:low:sms']?.outcome).toBe('customer_cap');
    expect(by['2:calls:call_out']?.outcome).toBe('not_contactable');
    expect(by['3:any:sms']?.outcome).toBe('cooling_off');
    expect(by['4:sms-again:sms']?.outcome).toBe('channel_cap');
  });

  it('never exceeds a cap, never lists an uncontactable customer, and does not depend on input order (property)', () => {
    const channel = fc.constantFrom(...CHANNELS);
    const world = fc.record({
      claims: fc.array(
        fc.record({
          customerId: fc.integer({ min: 1, max: 12 }),
          strategyKey: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
          priority: fc.integer({ min: 0, max: 3 }),
          channel,
        }),
        { maxLength: 60 },
      ),
      blocked: fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), channel), { maxLength: 20 }),
      refused: fc.array(
        fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: TODAY - 60, max: TODAY })),
        {
          maxLength: 5,
        },
      ),
      earlier: fc.array(
        fc.tuple(fc.integer({ min: 1, max: 12 }), channel, fc.integer({ min: 0, max: 2 })),
        {
          maxLength: 10,
        },
      ),
      perCustomer: fc.integer({ min: 0, max: 4 }),
      smsCap: fc.integer({ min: 0, max: 3 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(world, (w) => {
        const policy: ContactPolicy = {
          ...DEFAULT_CONTACT_POLICY,
          perCustomer: w.perCustomer,
          perChannel: { sms: w.smsCap },
        };
        const earlier = new Map<string, number>();
        for (const [id, ch, n] of w.earlier) earlier.set(`${id}:${ch}`, n);
        const facts = factsOf({
          blocked: new Set(w.blocked.map(([id, ch]) => `${id}:${ch}`)),
          refused: new Map(w.refused),
          earlier,
        });
        const decisions = arbitrate(w.claims, policy, facts, TODAY);
        expect(decisions).toHaveLength(w.claims.length);
        const listed = decisions.filter((d) => d.outcome === 'listed').map((d) => d.claim);
        for (const id of new Set(listed.map((c) => c.customerId))) {
          const mine = listed.filter((c) => c.customerId === id);
          const before = CHANNELS.reduce((a, ch) => a + (earlier.get(`${id}:${ch}`) ?? 0), 0);
          if (mine.length > 0) expect(before + mine.length).toBeLessThanOrEqual(policy.perCustomer);
          for (const ch of CHANNELS) {
            const cap = policy.perChannel[ch] ?? policy.perCustomer;
            const n = mine.filter((c) => c.channel === ch).length;
            if (n > 0) expect((earlier.get(`${id}:${ch}`) ?? 0) + n).toBeLessThanOrEqual(cap);
          }
          expect(new Set(mine.map((c) => c.strategyKey)).size).toBe(mine.length);
        }
        for (const c of listed) {
          expect(facts.mayContact(c.customerId, c.channel)).toBe(true);
          const refusal = facts.lastRefusalDay(c.customerId);
          expect(refusal === undefined || TODAY - refusal >= policy.coolingOffDays).toBe(true);
        }
        // exactly what a comparison sort of the claims gives (the implementation counts ids),
        // also for ids it does not count (negative, sparse)
        expect(decisions).toEqual(plainArbitrate(w.claims, policy, facts, TODAY));
        const far = w.claims.map((c) => ({ ...c, customerId: c.customerId * 1e8 - 3e8 }));
        const farFacts: ContactFacts = {
          mayContact: (id, ch) => facts.mayContact((id + 3e8) / 1e8, ch),
          lastRefusalDay: (id) => facts.lastRefusalDay((id + 3e8) / 1e8),
          contactsThisPeriod: (id, ch) => facts.contactsThisPeriod((id + 3e8) / 1e8, ch),
        };
        expect(arbitrate(far, policy, farFacts, TODAY)).toEqual(
          plainArbitrate(far, policy, farFacts, TODAY),
        );
        // the same claims in another order give the same decisions
        const shuffled = [...w.claims].sort(
          (a, b) =>
            ((a.customerId * 31 + a.priority) ^ w.seed) -
            ((b.customerId * 31 + b.priority) ^ w.seed),
        );
        const key = (d: (typeof decisions)[number]) =>
          `${d.claim.customerId}|${d.claim.strategyKey}|${d.claim.channel}|${d.claim.priority}|${d.outcome}`;
        expect(arbitrate(shuffled, policy, facts, TODAY).map(key).sort()).toEqual(
          decisions.map(key).sort(),
        );
      }),
      { numRuns: 1_000 },
    );
  });
});

/** `arbitrate` written the plain way (a comparison sort, maps and sets): the reference. */
function plainArbitrate(
  claims: readonly Claim[],
  policy: ContactPolicy,
  facts: ContactFacts,
  today: number,
): Decision[] {
  const rank = new Map<Channel, number>(CHANNELS.map((c) => [c, policy.channelPriority.length]));
  policy.channelPriority.forEach((c, i) => rank.set(c, i));
  const order = [...claims].sort(
    (a, b) =>
      a.customerId - b.customerId ||
      b.priority - a.priority ||
      (rank.get(a.channel) as number) - (rank.get(b.channel) as number) ||
      (a.strategyKey < b.strategyKey ? -1 : a.strategyKey > b.strategyKey ? 1 : 0),
  );
  const decisions: Decision[] = [];
  let i = 0;
  while (i < order.length) {
    const customerId = (order[i] as Claim).customerId;
    let j = i;
    while (j < order.length && (order[j] as Claim).customerId === customerId) j++;
    const perChannel = new Map<Channel, number>();
    let total = 0;
    for (const channel of CHANNELS) {
      const n = facts.contactsThisPeriod(customerId, channel);
      perChannel.set(channel, n);
      total += n;
    }
    const refused = facts.lastRefusalDay(customerId);
    const cooling = refused !== undefined && today - refused < policy.coolingOffDays;
    const seen = new Set<string>();
    const listed: string[] = [];
    for (let k = i; k < j; k++) {
      const claim = order[k] as Claim;
      let outcome: Decision['outcome'];
      if (seen.has(claim.strategyKey)) outcome = 'duplicate';
      else if (!facts.mayContact(customerId, claim.channel)) outcome = 'not_contactable';
      else if (cooling) outcome = 'cooling_off';
      else if (
        (perChannel.get(claim.channel) as number) >=
        (policy.perChannel[claim.channel] ?? policy.perCustomer)
      )
        outcome = 'channel_cap';
      else if (total >= policy.perCustomer) outcome = 'customer_cap';
      else outcome = 'listed';
      seen.add(claim.strategyKey);
      if (outcome === 'listed') {
        perChannel.set(claim.channel, (perChannel.get(claim.channel) as number) + 1);
        total++;
        listed.push(claim.strategyKey);
        decisions.push({ claim, outcome });
      } else if (outcome === 'channel_cap' || outcome === 'customer_cap')
        decisions.push({ claim, outcome, listedBefore: [...listed] });
      else decisions.push({ claim, outcome });
    }
    i = j;
  }
  return decisions;
}

describe('quiet hours', () => {
  it('moves a task raised at night to the morning, bank time (UTC+8)', () => {
    // 23:10 in Hangzhou is 15:10 UTC; due at 08:00 next morning = 00:00 UTC
    expect(
      nextContactTime(new Date('2026-11-22T15:10:00Z'), DEFAULT_CONTACT_POLICY).toISOString(),
    ).toBe('2026-11-23T00:00:00.000Z');
    // 06:30 local: due 08:00 the same morning
    expect(
      nextContactTime(new Date('2026-11-22T22:30:00Z'), DEFAULT_CONTACT_POLICY).toISOString(),
    ).toBe('2026-11-23T00:00:00.000Z');
    // 14:00 local: now
    const afternoon = new Date('2026-11-22T06:00:00Z');
    expect(nextContactTime(afternoon, DEFAULT_CONTACT_POLICY)).toBe(afternoon);
    // quiet hours not wrapping midnight: 12:00–14:00 lunch
    const lunch = { ...DEFAULT_CONTACT_POLICY, quietHours: { start: 12, end: 14 } };
    expect(nextContactTime(new Date('2026-11-22T04:30:00Z'), lunch).toISOString()).toBe(
      '2026-11-22T06:00:00.000Z',
    );
  });
});
