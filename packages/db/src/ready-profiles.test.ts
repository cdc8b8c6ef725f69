import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsightRefresh } from './insight-refresh.js';
import { bumpDataVersion } from './metric-blocks.js';
import { getCustomerProfile, type CustomerProfileView } from './queries/insight.js';
import { makeReadyProfiles, readyProfile, readyProfilesUnderWay } from './ready-profiles.js';
import { seedDemoBank } from './seed/index.js';
import { ingestEvent } from './tasks.js';
import { openTestDatabase } from './testing.js';
import type { StrataDb } from './types.js';

// Ready-made profiles, made in this thread (as on PostgreSQL or for a bank without current
// metric blocks); the worker threads' way is tested in insight-parallel.test.ts.
const clock = () => new Date('2026-11-01T08:00:00Z');
let db: StrataDb;
let ids: number[];
let runId: number;
const live = new Map<number, CustomerProfileView>();

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 23, retail: 700, corporate: 70 }, undefined, clock);
  runId = runInsightRefresh(db, { now: clock, readyProfiles: false }).runId;
  ids = db.sqlite.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as number[];
  // explained live: nothing is ready yet
  for (const id of ids) live.set(id, getCustomerProfile(db, id) as CustomerProfileView);
}, 120_000);
afterAll(() => db.close());

/** As JSON carries it (the API's answer): a growth from zero, Infinity, is null there. */
const asSent = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const latest = () =>
  db.sqlite
    .prepare("SELECT max(id) FROM insight_runs WHERE status = 'succeeded'")
    .pluck()
    .get() as number;

const setRows = () =>
  db.sqlite.prepare('SELECT run_id AS runId, customers FROM insight_profile_sets').all();

describe('ready-made customer profiles', () => {
  it('are every customer’s profile, equal to the one explained live', () => {
    expect(readyProfile(db, runId, ids[0] as number)).toBeUndefined();
    const underWay: (string | undefined)[] = [];
    const made = makeReadyProfiles(db, {
      threads: 0,
      now: clock,
      onProgress: () => underWay.push(readyProfilesUnderWay(db)?.token),
    });
    // marked under way while made (the server does not start a second), not after
    expect(underWay.length).toBeGreaterThan(1);
    expect(new Set(underWay).size).toBe(1);
    expect(underWay[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(readyProfilesUnderWay(db)).toBeUndefined();
    expect(made).toMatchObject({ runId, customers: ids.length });
    // about 0.6 KB a customer, deflated with the set's dictionary
    expect(made.bytes / ids.length).toBeLessThan(1_200);
    expect(setRows()).toEqual([{ runId, customers: ids.length }]);
    for (const id of ids) {
      expect(readyProfile(db, runId, id)?.customerId).toBe(id);
      expect(getCustomerProfile(db, id)).toEqual(asSent(live.get(id)));
    }
    expect([...live.values()].filter((p) => p.known).length).toBeGreaterThan(600);
  });

  it('stay current for everyone but the customer of a moment-of-truth event', () => {
    const [a, b] = [ids[10] as number, ids[11] as number];
    const period = live.get(a)?.period as string;
    ingestEvent(
      db,
      { customer: a, type: 'complaint', occurredOn: `${period}-28`, externalId: 'RP-1' },
      { actor: 'test', now: clock() },
    );
    expect(readyProfile(db, runId, a)).toBeUndefined();
    expect(readyProfile(db, runId, b)?.customerId).toBe(b);
    const now = getCustomerProfile(db, a) as CustomerProfileView;
    expect(now.events[0]).toMatchObject({ type: 'complaint', occurredOn: `${period}-28` });
    expect(now.tags.some((t) => t.kind === 'event' && t.key === 'complaint')).toBe(true);
    expect(getCustomerProfile(db, b)).toEqual(asSent(live.get(b)));
  });

  it('are what the profile reads while the data is unchanged, and nothing after it changes', () => {
    const id = ids[5] as number;
    const set = db.sqlite.prepare('SELECT dictionary, token FROM insight_profile_sets').get() as {
      dictionary: Buffer;
      token: string;
    };
    const plant = (token: string) => {
      const body = { ...live.get(id), tags: [{ kind: 'depth', key: 'marker' }], token };
      const page = deflateRawSync(JSON.stringify(body), { dictionary: set.dictionary });
      db.sqlite.prepare('UPDATE insight_profiles SET body = ? WHERE customer_id = ?').run(page, id);
    };
    plant(set.token);
    expect(getCustomerProfile(db, id)?.tags).toEqual([{ kind: 'depth', key: 'marker' }]);
    // a page of another making (two overlapped) is not read: explained live
    plant('another making');
    expect(readyProfile(db, runId, id)).toBeUndefined();
    expect(getCustomerProfile(db, id)).toEqual(asSent(live.get(id)));
    plant(set.token);

    // any change to the customer data moves its version: the profile is explained live again,
    // from the new data
    const period = live.get(id)?.period as string;
    db.sqlite.transaction(() => {
      db.sqlite
        .prepare(
          'UPDATE monthly_metrics SET aum_avg = 123456789 WHERE customer_id = ? AND period = ?',
        )
        .run(id, period);
      bumpDataVersion(db);
    })();
    expect(readyProfile(db, runId, id)).toBeUndefined();
    const now = getCustomerProfile(db, id) as CustomerProfileView;
    expect(now.tags.find((t) => t.key === 'marker')).toBeUndefined();
    expect(now.history.at(-1)).toMatchObject({ period, aum: 123456789 });
  });

  it('are made by a refresh when asked, replacing the previous run’s', () => {
    const refreshed = runInsightRefresh(db, { now: clock, readyProfiles: true });
    expect(refreshed.profiles).toMatchObject({ runId: refreshed.runId, customers: ids.length });
    expect(refreshed.profilesError).toBeUndefined();
    expect(setRows()).toEqual([{ runId: refreshed.runId, customers: ids.length }]);
    // the earlier run has none now; the new one's are read
    expect(readyProfile(db, runId, ids[1] as number)).toBeUndefined();
    const id = ids[5] as number;
    expect(readyProfile(db, refreshed.runId, id)?.history.at(-1)?.aum).toBe(123456789);
    expect(() => makeReadyProfiles(db, { runId })).toThrow(
      `Run ${runId} is not the latest succeeded run of its month`,
    );
    expect(() => makeReadyProfiles(db, { runId: 999_999 })).toThrow(/not the latest/);
  });
  it('failing to be made leave the run stored, its profiles explained live', () => {
    db.sqlite.exec('ALTER TABLE insight_profiles RENAME TO insight_profiles_away');
    try {
      const refreshed = runInsightRefresh(db, { now: clock, readyProfiles: true });
      expect(refreshed.profiles).toBeUndefined();
      expect(refreshed.profilesError).toMatch(/insight_profiles/);
      expect(latest()).toBe(refreshed.runId);
    } finally {
      db.sqlite.exec('ALTER TABLE insight_profiles_away RENAME TO insight_profiles');
    }
    const id = ids[2] as number;
    expect(readyProfile(db, latest(), id)).toBeUndefined();
    expect(getCustomerProfile(db, id)?.runId).toBe(latest());
  });
});
