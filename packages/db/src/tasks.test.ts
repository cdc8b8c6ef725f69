import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listColumns } from './columns-cache.js';
import { strategyBoard } from './outcomes.js';
import { seedDemoBank } from './seed/index.js';
import { createStrategy, setStrategyStatus } from './strategies.js';
import { ingestEvent, listTasks } from './tasks.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const seeded = new Date('2026-11-02T09:00:00Z');
const night = new Date('2026-11-22T15:10:00Z'); // 23:10 in Hangzhou
const who = { actor: 'core-banking', now: night };
let reachable: { id: number; rmId: number; externalId: string };
let unreachable: number;

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 16, retail: 1_000, corporate: 100 }, undefined, () => seeded);
  createStrategy(
    db,
    'wm-maturing',
    {
      name: '理财到期承接',
      objective: 'aum',
      audience: { kind: 'event', event: 'wealth_maturing', withinDays: 3 },
      channel: 'branch_rm',
      schedule: { kind: 'trigger' },
      priority: 80,
      controlShare: 0,
      kpi: { metric: 'aum_change', target: 1e7 },
      evaluationDays: 30,
      owner: 'chen.hq',
    },
    who,
  );
  setStrategyStatus(db, 'wm-maturing', 'active', who);
  reachable = db.sqlite
    .prepare(
      `SELECT c.id, c.rm_id AS rmId, c.external_id AS externalId FROM customers c JOIN customer_consents k ON k.customer_id = c.id
       WHERE k.channel = 'branch_rm' AND k.consent = 'granted' AND k.opted_out = 0 AND c.rm_id IS NOT NULL ORDER BY c.id LIMIT 1`,
    )
    .get() as typeof reachable;
  unreachable = db.sqlite
    .prepare(
      "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM customer_consents WHERE channel = 'branch_rm' AND consent = 'granted') ORDER BY id LIMIT 1",
    )
    .pluck()
    .get() as number;
});
afterAll(() => db.close());

describe('moment-of-truth events', () => {
  it('give the RM a task in the same call, due after the quiet hours', () => {
    const r = ingestEvent(
      db,
      {
        customer: reachable.externalId,
        type: 'wealth_maturing',
        occurredOn: '2026-11-22',
        externalId: 'CB-1',
      },
      who,
    );
    expect(r).toMatchObject({ created: true, excluded: [] });
    expect(r.tasks).toEqual([
      {
        taskId: expect.any(Number),
        strategyKey: 'wm-maturing',
        arm: 'treatment',
        rmId: reachable.rmId,
        dueAt: '2026-11-23T00:00:00.000Z',
      },
    ]);
    const mine = listTasks(db, {
      role: 'relationship_manager',
      orgUnitId: null,
      rmId: reachable.rmId,
    });
    expect(mine.map((t) => t.customerId)).toEqual([reachable.id]);
    expect(listTasks(db, { role: 'relationship_manager', orgUnitId: null, rmId: -5 })).toEqual([]);
  });

  it('store the same event once, and give one task per strategy and month', () => {
    expect(
      ingestEvent(
        db,
        {
          customer: reachable.id,
          type: 'wealth_maturing',
          occurredOn: '2026-11-22',
          externalId: 'CB-1',
        },
        who,
      ),
    ).toMatchObject({
      created: false,
      tasks: [],
    });
    const again = ingestEvent(
      db,
      {
        customer: reachable.id,
        type: 'wealth_maturing',
        occurredOn: '2026-11-22',
        externalId: 'CB-2',
      },
      who,
    );
    expect(again).toMatchObject({ created: true, tasks: [] });
    expect(
      db.sqlite
        .prepare("SELECT count(*) FROM events WHERE external_id IN ('CB-1', 'CB-2')")
        .pluck()
        .get(),
    ).toBe(2);
  });

  it('respect consent, the trigger window and other event types', () => {
    const none = ingestEvent(
      db,
      { customer: unreachable, type: 'wealth_maturing', occurredOn: '2026-11-21' },
      who,
    );
    expect(none.tasks).toEqual([]);
    expect(none.excluded).toEqual([
      { strategyKey: 'wm-maturing', customerId: unreachable, reason: 'not_contactable' },
    ]);
    const old = ingestEvent(
      db,
      { customer: reachable.id + 1, type: 'wealth_maturing', occurredOn: '2026-11-10' },
      who,
    );
    // 12 days old: outside its 3-day window, so no claim at all (not even a refused one)
    expect(old).toMatchObject({ tasks: [], excluded: [] });
    const other = ingestEvent(
      db,
      { customer: reachable.id + 1, type: 'complaint', occurredOn: '2026-11-22' },
      who,
    );
    expect(other).toMatchObject({ tasks: [], excluded: [] });
    expect(() =>
      ingestEvent(db, { customer: 'NOBODY', type: 'complaint', occurredOn: '2026-11-22' }, who),
    ).toThrow(/No customer "NOBODY"/);
  });

  it('put the customer on the strategy’s month list (for caps and review), and audit each event', () => {
    const summary = JSON.parse(
      db.sqlite
        .prepare("SELECT summary FROM strategy_lists WHERE period = '2026-11'")
        .pluck()
        .get() as string,
    );
    expect(summary).toMatchObject({ listed: 1, treatment: 1, control: 0 });
    expect(
      db.sqlite
        .prepare("SELECT count(*) FROM audit_log WHERE action = 'event.ingest'")
        .pluck()
        .get(),
    ).toBe(5);
  });

  it('the board counted from memory sees entries an event appends to a list already read', () => {
    // the board counted from memory sees the appended entries (the list was read before)
    const listId = db.sqlite
      .prepare("SELECT id FROM strategy_lists WHERE period = '2026-11'")
      .pluck()
      .get() as number;
    expect(listColumns(db, listId).customerIds).toHaveLength(1);
    // a second reachable customer's event appends to the same list
    const second = db.sqlite
      .prepare(
        `SELECT c.external_id FROM customers c JOIN customer_consents k ON k.customer_id = c.id
         WHERE k.channel = 'branch_rm' AND k.consent = 'granted' AND k.opted_out = 0 AND c.id > ?
         ORDER BY c.id LIMIT 1`,
      )
      .pluck()
      .get(reachable.id) as string;
    const r = ingestEvent(
      db,
      { customer: second, type: 'wealth_maturing', occurredOn: '2026-11-22', externalId: 'CB-99' },
      who,
    );
    expect(r.tasks).toHaveLength(1);
    const board = strategyBoard(db);
    expect(board).toEqual(
      strategyBoard(db, { scope: { role: 'admin', orgUnitId: null, rmId: null } }),
    );
    expect(board.reduce((n, row) => n + row.reach, 0)).toBe(2);
  });
});
