import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../contact/channels.js';
import { DEFAULT_CONTACT_POLICY, type ContactFacts, type ContactPolicy } from './arbitrate.js';
import { generateLists, type ListRequest } from './lists.js';

const TODAY = 20_400;
const open: ContactFacts = {
  mayContact: () => true,
  lastRefusalDay: () => undefined,
  contactsThisPeriod: () => 0,
};
const ids = (from: number, to: number) =>
  Int32Array.from({ length: to - from }, (_, k) => from + k);

describe('lists', () => {
  it('hold back each strategy’s control share of the customers it would contact, and say why others are out', () => {
    const requests: ListRequest[] = [
      {
        strategyKey: 'wealth',
        version: 3,
        priority: 80,
        channel: 'branch_rm',
        controlShare: 0.1,
        audience: ids(1, 20_001),
      },
      {
        strategyKey: 'sms-push',
        version: 1,
        priority: 20,
        channel: 'sms',
        controlShare: 0.05,
        audience: ids(10_001, 30_001),
      },
    ];
    const policy: ContactPolicy = { ...DEFAULT_CONTACT_POLICY, perCustomer: 1 };
    const facts: ContactFacts = {
      ...open,
      mayContact: (id, ch) => !(ch === 'sms' && id % 10 === 0),
    };
    const { entries, summary, excluded } = generateLists(
      requests,
      policy,
      facts,
      TODAY,
      (id) => id % 7,
    );
    const wealth = summary.find((s) => s.strategyKey === 'wealth');
    const sms = summary.find((s) => s.strategyKey === 'sms-push');
    expect(wealth).toMatchObject({ audience: 20_000, listed: 20_000 });
    // 10 % ± 5 sd of 20,000
    expect(Math.abs((wealth?.control ?? 0) - 2_000)).toBeLessThan(5 * Math.sqrt(20_000 * 0.09));
    // customers 10,001–20,000 went to the higher-priority strategy (one contact each); of the
    // rest, every tenth has no SMS consent
    expect(sms?.excluded).toEqual({ customer_cap: 9_000, not_contactable: 1_000 + 1_000 });
    expect(sms?.listed).toBe(9_000);
    expect(
      excluded.filter((e) => e.reason === 'not_contactable').every((e) => e.customerId % 10 === 0),
    ).toBe(true);
    expect(entries.find((e) => e.customerId === 8)).toMatchObject({
      strategyKey: 'wealth',
      version: 3,
      rmId: 1,
    });
  });

  it('never give a customer more contacts than the caps, count no opted-out customer, and repeat exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            priority: fc.integer({ min: 0, max: 5 }),
            channel: fc.constantFrom(...CHANNELS),
            controlShare: fc.constantFrom(0, 0.05, 0.1, 0.3),
            from: fc.integer({ min: 1, max: 50 }),
            size: fc.integer({ min: 0, max: 60 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        (specs, perCustomer, blockEvery) => {
          const requests: ListRequest[] = specs.map((s, k) => ({
            strategyKey: `s${k}`,
            version: 1,
            priority: s.priority,
            channel: s.channel,
            controlShare: s.controlShare,
            // some audiences out of order: the entries come by customer whatever the input
            audience:
              k % 2 === 1
                ? [...ids(s.from, s.from + s.size)].reverse()
                : ids(s.from, s.from + s.size),
          }));
          const policy: ContactPolicy = { ...DEFAULT_CONTACT_POLICY, perCustomer, perChannel: {} };
          const facts: ContactFacts = { ...open, mayContact: (id) => id % blockEvery !== 0 };
          const first = generateLists(requests, policy, facts, TODAY);
          const perCustomerListed = new Map<number, number>();
          for (const e of first.entries) {
            expect(facts.mayContact(e.customerId, 'sms')).toBe(true);
            perCustomerListed.set(e.customerId, (perCustomerListed.get(e.customerId) ?? 0) + 1);
          }
          for (const n of perCustomerListed.values()) expect(n).toBeLessThanOrEqual(perCustomer);
          // by ascending customer id (the store writes each list in this order as it comes)
          const order = first.entries.map((e) => e.customerId);
          expect(order).toEqual([...order].sort((a, b) => a - b));
          for (const s of first.summary)
            expect(s.listed + Object.values(s.excluded).reduce((a, b) => a + b, 0)).toBe(
              s.audience,
            );
          expect(generateLists(requests, policy, facts, TODAY)).toEqual(first);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses the same strategy twice in one run', () => {
    const r: ListRequest = {
      strategyKey: 'x',
      version: 1,
      priority: 1,
      channel: 'sms',
      controlShare: 0,
      audience: [1],
    };
    expect(() => generateLists([r, r], DEFAULT_CONTACT_POLICY, open, TODAY)).toThrow(
      /once in a batch/,
    );
  });
});
