import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceToken, openDatabase } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStrata } from './start.js';

// A database made before the insight engine existed (customers, no insight run): `npm start`
// must give it one, so every insight screen works after an upgrade.
let dir: string;
let strata: Awaited<ReturnType<typeof startStrata>> | undefined;
let token = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-start-'));
  const file = join(dir, 'strata.db');
  const db = openDatabase(file);
  seedDemoBank(db, { seed: 6, retail: 600, corporate: 60 });
  db.sqlite.exec(
    'DELETE FROM insight_agg; DELETE FROM insight_segment_members; DELETE FROM insight_customers; DELETE FROM insight_runs;',
  );
  token = createServiceToken(db, { name: 'startup-test', role: 'viewer' }).token;
  db.close();
  strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
}, 120_000);
afterAll(async () => {
  await strata?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('starting on a database without an insight run', () => {
  it('runs the first insight refresh, so the insight procedures answer', async () => {
    const response = await fetch(`${strata?.url}/trpc/insight.summary`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      result: { data: { period: string; customers: number } };
    };
    expect(body.result.data.period).toBe('2026-10');
    expect(body.result.data.customers).toBe(660);
  });
});
