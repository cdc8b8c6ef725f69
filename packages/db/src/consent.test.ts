import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from './audit.js';
import { contactableCustomers, getConsents, setConsent } from './consent.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const at = new Date('2026-11-03T10:00:00Z');

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 2, retail: 200, corporate: 20 }, undefined, () => at);
  // the demo bank comes with consents; these tests start from none
  expect(db.sqlite.prepare('SELECT count(*) FROM customer_consents').pluck().get()).toBeGreaterThan(
    200,
  );
  db.sqlite.exec('DELETE FROM customer_consents');
});
afterAll(() => db.close());

describe('consent and opt-out', () => {
  it('makes a customer contactable only with consent granted and no opt-out, per channel', () => {
    const actor = 'zhang.wei';
    setConsent(
      db,
      { customerId: 30, channel: 'sms', consent: 'granted', optedOut: false, source: 'app', actor },
      at,
    );
    setConsent(
      db,
      { customerId: 31, channel: 'sms', consent: 'granted', optedOut: true, source: 'call', actor },
      at,
    );
    setConsent(
      db,
      {
        customerId: 32,
        channel: 'sms',
        consent: 'withdrawn',
        optedOut: false,
        source: 'form',
        actor,
      },
      at,
    );
    setConsent(
      db,
      {
        customerId: 33,
        channel: 'call_out',
        consent: 'granted',
        optedOut: false,
        source: 'form',
        actor,
      },
      at,
    );
    expect([...contactableCustomers(db, 'sms')]).toEqual([30]);
    expect([...contactableCustomers(db, 'call_out')]).toEqual([33]);
    expect([...contactableCustomers(db, 'wecom')]).toEqual([]); // no record: unknown, not contactable
  });

  it('replaces a customer’s record on a channel, and audits every change', () => {
    setConsent(
      db,
      {
        customerId: 30,
        channel: 'sms',
        consent: 'granted',
        optedOut: true,
        source: 'sms reply TD',
        actor: 'system',
      },
      at,
    );
    expect(getConsents(db, 30)).toEqual([
      {
        customerId: 30,
        channel: 'sms',
        consent: 'granted',
        optedOut: true,
        source: 'sms reply TD',
        updatedAt: at.toISOString(),
      },
    ]);
    expect([...contactableCustomers(db, 'sms')]).toEqual([]);
    const audited = db.sqlite
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'consent.set'")
      .pluck()
      .get();
    expect(audited).toBe(5);
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('refuses an unknown channel and writes nothing', () => {
    expect(() =>
      setConsent(db, {
        customerId: 30,
        channel: 'fax' as never,
        consent: 'granted',
        optedOut: false,
        source: 'x',
        actor: 'x',
      }),
    ).toThrow(/unknown channel "fax"/);
    expect(
      db.sqlite
        .prepare("SELECT count(*) FROM customer_consents WHERE channel = 'fax'")
        .pluck()
        .get(),
    ).toBe(0);
  });
});
