import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from './import/run.js';
import { generateStrategyLists } from './lists.js';
import { getListEntries } from './queries/lists.js';
import { campaignCodeOf, lastRefusals } from './outcomes.js';
import { rememberResults, resultsVersion } from './results-cache.js';
import { reviewStrategy } from './review.js';
import { seedDemoBank } from './seed/index.js';
import { createStrategy, setStrategyStatus } from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const now = new Date('2026-11-05T09:00:00Z');
const who = { actor: 'chen.hq', now };
/** The CRM's results arrive after the campaign. */
const later = { actor: 'chen.hq', now: new Date('2026-11-25T09:00:00Z') };
const admin = { role: 'admin', orgUnitId: null, rmId: null } as const;
let listId = 0;
let entries: ReturnType<typeof getListEntries> = [];

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 15, retail: 2_000, corporate: 200 }, undefined, () => now);
  createStrategy(
    db,
    'seniors',
    {
      name: 'Seniors',
      objective: 'aum',
      audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 50 } },
      channel: 'sms',
      schedule: { kind: 'monthly', day: 5 },
      priority: 40,
      controlShare: 0.2,
      kpi: { metric: 'conversion_rate', target: 0.05 },
      evaluationDays: 30,
      owner: 'chen.hq',
    },
    who,
  );
  setStrategyStatus(db, 'seniors', 'active', who);
  const [list] = generateStrategyLists(db, { keys: ['seniors'], ...who });
  listId = list?.id ?? 0;
  entries = getListEntries(db, listId, admin, { limit: 10_000, offset: 0 });
});
afterAll(() => db.close());

const csv = (lines: string[]) =>
  new TextEncoder().encode(
    `outcome_id,customer_id,campaign_code,channel,contacted_on,responded,converted,declined,amount\n${lines.join('\n')}\n`,
  );

describe('campaign outcomes imported from a CRM', () => {
  it('are recorded on the list their code names, merged per customer, and reviewed', () => {
    const code = campaignCodeOf('seniors', listId);
    const treated = entries.filter((e) => e.arm === 'treatment').slice(0, 30);
    const control = entries.filter((e) => e.arm === 'control').slice(0, 10);
    expect(treated).toHaveLength(30);
    expect(control).toHaveLength(10);
    const outsider = db.sqlite
      .prepare(
        `SELECT external_id FROM customers WHERE id NOT IN (SELECT customer_id FROM list_entries) LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const lines = [
      // the first 10 treated customers: contacted, then converted a week later (two rows)
      ...treated
        .slice(0, 10)
        .flatMap((e, i) => [
          `A${i},${e.externalId},${code},sms,2026-11-06,1,0,0,`,
          `B${i},${e.externalId},${code},sms,2026-11-13,1,1,0,50000`,
        ]),
      // the next 20: contacted; 5 of them declined
      ...treated
        .slice(10)
        .map((e, i) => `C${i},${e.externalId},${code},sms,2026-11-06,0,0,${i < 5 ? 1 : 0},`),
      // 2 control customers converted on their own
      ...control.slice(0, 2).map((e, i) => `D${i},${e.externalId},${code},sms,2026-11-20,0,1,0,`),
      // a customer not on the list, and a code of no list
      `E0,${outsider},${code},sms,2026-11-06,0,0,0,`,
      `E1,${treated[0]?.externalId},seniors-L999,sms,2026-11-06,0,1,0,`,
    ];
    const report = importFile(db, {
      kind: 'outcomes',
      input: { bytes: csv(lines), name: 'crm.csv' },
      ...later,
    });
    expect(report.error).toBeNull();
    expect(report.rowsWritten).toBe(lines.length);
    expect(report.links).toEqual({
      linked: 42,
      lists: 1,
      unmatched: 2,
      unknownCodes: ['seniors-L999'],
    });
    const rows = db.sqlite
      .prepare(
        'SELECT customer_id AS id, contacted, responded, declined, converted, amount, occurred_on AS day, recorded_by AS by FROM list_outcomes WHERE list_id = ? ORDER BY customer_id',
      )
      .all(listId) as {
      id: number;
      contacted: number;
      responded: number;
      declined: number;
      converted: number;
      amount: number | null;
      day: string;
      by: string;
    }[];
    expect(rows).toHaveLength(32);
    const first = rows.find((r) => r.id === treated[0]?.customerId);
    expect(first).toMatchObject({
      contacted: 1,
      responded: 1,
      converted: 1,
      amount: 50_000,
      day: '2026-11-13',
      by: `import:${report.runId}`,
    });
    // control customers were not contacted by the campaign, whatever the file says
    expect(rows.find((r) => r.id === control[0]?.customerId)).toMatchObject({
      contacted: 0,
      converted: 1,
    });
    // refusals start the cooling-off
    const refusals = lastRefusals(db);
    for (const e of treated.slice(10, 15)) expect(refusals.has(e.customerId)).toBe(true);
    const [review] = reviewStrategy(db, 'seniors');
    expect(review?.treatment.converted).toBe(10);
    expect(review?.treatment.contacted).toBe(30);
    expect(review?.control.converted).toBe(2);

    // the same file again changes nothing
    const again = importFile(db, {
      kind: 'outcomes',
      input: { bytes: csv(lines), name: 'crm.csv' },
      ...later,
    });
    expect(again.status).toBe('succeeded');
    expect(reviewStrategy(db, 'seniors')[0]?.treatment).toEqual(review?.treatment);
  });

  it('a refused file records nothing on any list', () => {
    const before = db.sqlite.prepare('SELECT count(*) FROM list_outcomes').pluck().get();
    const e = entries.find((x) => x.arm === 'treatment');
    const report = importFile(db, {
      kind: 'outcomes',
      input: {
        bytes: csv([
          `F0,${e?.externalId},${campaignCodeOf('seniors', listId)},sms,2026-11-07,1,1,0,900`,
          `F1,${e?.externalId},${campaignCodeOf('seniors', listId)},fax,2026-11-07,1,1,0,900`,
        ]),
        name: 'bad.csv',
      },
      ...later,
    });
    expect(report.status).toBe('failed');
    expect(report.links).toBeNull();
    expect(db.sqlite.prepare('SELECT count(*) FROM list_outcomes').pluck().get()).toBe(before);
  });

  it('move the results version (a refused file does not), so remembered aggregates are counted again', () => {
    const e = entries.find((x) => x.arm === 'treatment');
    const row = (id: string) =>
      `${id},${e?.externalId},${campaignCodeOf('seniors', listId)},sms,2026-11-08,1,1,0,500`;
    const v0 = resultsVersion(db);
    let counted = 0;
    const board = () => rememberResults(db, ['test-board'], () => ++counted);
    expect([board(), board()]).toEqual([1, 1]);
    const bad = importFile(db, {
      kind: 'outcomes',
      input: { bytes: csv([row('V0'), `${row('V1').replace(',sms,', ',fax,')}`]), name: 'bad.csv' },
      ...later,
    });
    expect(bad.status).toBe('failed');
    expect(resultsVersion(db)).toBe(v0);
    expect(board()).toBe(1);
    const good = importFile(db, {
      kind: 'outcomes',
      input: { bytes: csv([row('V2')]), name: 'good.csv' },
      ...later,
    });
    expect(good.status).toBe('succeeded');
    expect(resultsVersion(db)).toBe(v0 + 1);
    expect(board()).toBe(2);
    generateStrategyLists(db, {
      keys: ['seniors'],
      actor: 'test',
      now: new Date('2026-11-09T00:00:00Z'),
    });
    expect(resultsVersion(db)).toBe(v0 + 2);
  });
});
