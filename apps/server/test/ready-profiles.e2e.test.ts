import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openDatabase,
  runInsightRefresh,
  type ReadyProfilesResult,
  type StrataDb,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { keepProfilesReady } from '../src/ready-profiles.js';

// The server keeps a large bank's ready profiles current in a worker thread (the built one in
// dist/): here "large" is any bank, and it looks every 100 ms.
const clock = () => new Date('2026-11-01T08:00:00Z');
let dir: string;
let db: StrataDb;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-ready-'));
  db = openDatabase(join(dir, 'strata.db'));
  seedDemoBank(db, { seed: 31, retail: 900, corporate: 90 }, undefined, clock);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const sets = () =>
  db.sqlite.prepare('SELECT run_id AS runId, customers FROM insight_profile_sets').all();

describe('the ready profiles keeper', () => {
  it('makes them for the latest run in the background, and again after a refresh', async () => {
    expect(sets()).toEqual([]);
    const made: ReadyProfilesResult[] = [];
    let wake = () => {};
    const next = () => new Promise<void>((resolve) => (wake = resolve));
    const first = next();
    const stop = keepProfilesReady(db, {
      from: 0,
      intervalMs: 100,
      logger: createLogger('silent'),
      onMade: (r) => {
        made.push(r);
        wake();
      },
    });
    try {
      await first;
      const runId = db.sqlite
        .prepare("SELECT max(id) FROM insight_runs WHERE status = 'succeeded'")
        .pluck()
        .get() as number;
      expect(made).toEqual([expect.objectContaining({ runId, customers: 990 })]);
      expect(sets()).toEqual([{ runId, customers: 990 }]);

      const second = next();
      const refreshed = runInsightRefresh(db, { now: clock, readyProfiles: false });
      await second;
      expect(made[1]).toMatchObject({ runId: refreshed.runId, customers: 990 });
      expect(sets()).toEqual([{ runId: refreshed.runId, customers: 990 }]);
      // current now: nothing more is made
      await new Promise((done) => setTimeout(done, 400));
      expect(made.length).toBe(2);
    } finally {
      await stop();
    }
  }, 60_000);

  it('does not start while another making is under way (a CLI refresh), and does after', async () => {
    const refreshed = runInsightRefresh(db, { now: clock, readyProfiles: false });
    const marker =
      "INSERT INTO meta (key, value) VALUES ('ready_profiles_making', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    db.sqlite.prepare(marker).run(`someone ${Date.now()}`);
    const made: ReadyProfilesResult[] = [];
    const stop = keepProfilesReady(db, {
      from: 0,
      intervalMs: 50,
      logger: createLogger('silent'),
      onMade: (r) => made.push(r),
    });
    try {
      await new Promise((done) => setTimeout(done, 400));
      expect(made).toEqual([]);
      // a marker older than 30 minutes is a making that crashed: not waited for
      db.sqlite.prepare(marker).run(`someone ${Date.now() - 31 * 60_000}`);
      for (let waited = 0; made.length === 0 && waited < 30_000; waited += 100)
        await new Promise((done) => setTimeout(done, 100));
      expect(made).toEqual([expect.objectContaining({ runId: refreshed.runId, customers: 990 })]);
    } finally {
      await stop();
    }
  }, 60_000);

  it('leaves a bank under its threshold, and an in-memory database, alone', async () => {
    runInsightRefresh(db, { now: clock, readyProfiles: false });
    const before = sets();
    const stop = keepProfilesReady(db, {
      from: 1_000,
      intervalMs: 50,
      logger: createLogger('silent'),
    });
    await new Promise((done) => setTimeout(done, 400));
    await stop();
    expect(sets()).toEqual(before);
    const memory = openDatabase(':memory:');
    await keepProfilesReady(memory, { from: 0, logger: createLogger('silent') })();
    memory.close();
  });
});
