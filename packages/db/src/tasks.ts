import { bumpResultsVersion } from './results-cache.js';
import { randomUUID } from 'node:crypto';
import {
  dayOf,
  generateLists,
  nextContactTime,
  type ContactPolicy,
  type Excluded,
  type ListSummary,
  type MotEventType,
} from '@strata/core';
import { appendAudit } from './audit.js';
import { bumpDataVersion } from './metric-blocks.js';
import { forgetReadyProfile } from './ready-profiles.js';
import { scopeCondition, type Scope } from './queries/customers.js';
import { StrategyError, listStrategies } from './strategies.js';
import { getBankSettings } from './settings.js';
import type { StrataDb } from './types.js';

/** An event arriving from a core system, for one customer. */
export interface EventInput {
  /** The customer's id or customer number. */
  readonly customer: number | string;
  readonly type: MotEventType;
  /** YYYY-MM-DD. */
  readonly occurredOn: string;
  readonly amount?: number | null;
  /** The source system's event id (idempotency: the same id twice is one event). */
  readonly externalId?: string;
}

/** What an event caused. */
export interface IngestResult {
  readonly eventId: string;
  /** False when the event id was seen before (nothing else happened). */
  readonly created: boolean;
  readonly tasks: readonly {
    readonly taskId: number | null;
    readonly strategyKey: string;
    readonly arm: 'treatment' | 'control';
    readonly rmId: number | null;
    readonly dueAt: string | null;
  }[];
  readonly excluded: readonly Excluded[];
}

/**
 * A moment-of-truth event, in real time: stores it, and for every active strategy triggered by
 * its type (and still within its window) decides in the same transaction, under the same
 * arbitration and caps as lists (consent, cooling-off, the month's earlier contacts), whether
 * the customer's RM gets a task — due after the quiet hours. The customer joins the strategy's
 * list of the month in the arm `assignArm` gives (control customers get no task, and are counted
 * for the review). Audited.
 */
export function ingestEvent(
  db: StrataDb,
  event: EventInput,
  who: {
    readonly actor: string;
    readonly origin?: string | null;
    readonly now?: Date;
    readonly policy?: ContactPolicy;
  },
): IngestResult {
  const now = who.now ?? new Date();
  const policy = who.policy ?? getBankSettings(db).contactPolicy;
  const today = dayOf(now.toISOString().slice(0, 10));
  const period = now.toISOString().slice(0, 7);
  return db.sqlite.transaction((): IngestResult => {
    const customer = db.sqlite
      .prepare(
        typeof event.customer === 'number'
          ? 'SELECT id, rm_id AS rmId FROM customers WHERE id = ?'
          : 'SELECT id, rm_id AS rmId FROM customers WHERE external_id = ?',
      )
      .get(event.customer) as { id: number; rmId: number | null } | undefined;
    if (!customer)
      throw new StrategyError(`No customer ${JSON.stringify(event.customer)}.`, 'NOT_FOUND');
    const eventId = event.externalId ?? `mot-${randomUUID()}`;
    if (db.sqlite.prepare('SELECT 1 FROM events WHERE external_id = ?').get(eventId))
      return { eventId, created: false, tasks: [], excluded: [] };
    db.sqlite
      .prepare(
        'INSERT INTO events (external_id, customer_id, type, occurred_on, amount) VALUES (?, ?, ?, ?, ?)',
      )
      .run(eventId, customer.id, event.type, event.occurredOn, event.amount ?? null);
    const version = bumpDataVersion(db);
    // only this customer's data changed: the other ready profiles stay good
    forgetReadyProfile(db, customer.id, version - 1, version);

    const age = today - dayOf(event.occurredOn);
    const triggered = listStrategies(db).filter(
      (s) =>
        s.status === 'active' &&
        s.definition.audience.kind === 'event' &&
        s.definition.audience.event === event.type &&
        age >= 0 &&
        age <= s.definition.audience.withinDays,
    );
    const consent = new Set(
      db.sqlite
        .prepare(
          "SELECT channel FROM customer_consents WHERE customer_id = ? AND consent = 'granted' AND opted_out = 0",
        )
        .pluck()
        .all(customer.id) as string[],
    );
    const refusal = db.sqlite
      .prepare(
        'SELECT CAST(julianday(max(occurred_on)) - 2440587.5 AS INTEGER) FROM list_outcomes WHERE customer_id = ? AND declined = 1',
      )
      .pluck()
      .get(customer.id) as number | null;
    const earlier = new Map(
      (
        db.sqlite
          .prepare(
            "SELECT e.channel AS channel, count(*) AS n FROM list_entries e JOIN strategy_lists l ON l.id = e.list_id WHERE l.period = ? AND e.customer_id = ? AND e.arm = 'treatment' GROUP BY 1",
          )
          .all(period, customer.id) as { channel: string; n: number }[]
      ).map((r) => [r.channel, r.n]),
    );
    // a strategy's month list already holding the customer: one contact per trigger list and month
    const listOf = (strategyId: number, version: number) =>
      db.sqlite
        .prepare(
          'SELECT id FROM strategy_lists WHERE strategy_id = ? AND version = ? AND period = ?',
        )
        .pluck()
        .get(strategyId, version, period) as number | undefined;
    const already = (listId: number | undefined) =>
      listId !== undefined &&
      db.sqlite
        .prepare('SELECT 1 FROM list_entries WHERE list_id = ? AND customer_id = ?')
        .get(listId, customer.id) !== undefined;
    const fresh = triggered.filter((s) => !already(listOf(s.id, s.currentVersion)));
    const { entries, excluded } = generateLists(
      fresh.map((s) => ({
        strategyKey: s.key,
        version: s.currentVersion,
        priority: s.definition.priority,
        channel: s.definition.channel,
        controlShare: s.definition.controlShare,
        audience: [customer.id],
      })),
      policy,
      {
        mayContact: (_, channel) => consent.has(channel),
        lastRefusalDay: () => refusal ?? undefined,
        contactsThisPeriod: (_, channel) => earlier.get(channel) ?? 0,
      },
      today,
      () => customer.rmId,
    );
    const tasks: IngestResult['tasks'][number][] = [];
    const due = nextContactTime(now, policy).toISOString();
    for (const e of entries) {
      const s = fresh.find((x) => x.key === e.strategyKey) as (typeof fresh)[number];
      let listId = listOf(s.id, s.currentVersion);
      if (listId === undefined) {
        const empty: ListSummary = {
          strategyKey: s.key,
          audience: 0,
          listed: 0,
          treatment: 0,
          control: 0,
          excluded: {},
        };
        listId = Number(
          db.sqlite
            .prepare(
              'INSERT INTO strategy_lists (strategy_id, version, period, created_by, created_at, summary) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(
              s.id,
              s.currentVersion,
              period,
              who.actor,
              now.toISOString(),
              JSON.stringify(empty),
            ).lastInsertRowid,
        );
      }
      db.sqlite
        .prepare(
          'INSERT INTO list_entries (list_id, customer_id, arm, channel, rm_id) VALUES (?, ?, ?, ?, ?)',
        )
        .run(listId, customer.id, e.arm, s.definition.channel, e.rmId);
      bumpResultsVersion(db, now);
      const summary = JSON.parse(
        db.sqlite
          .prepare('SELECT summary FROM strategy_lists WHERE id = ?')
          .pluck()
          .get(listId) as string,
      ) as ListSummary;
      db.sqlite.prepare('UPDATE strategy_lists SET summary = ? WHERE id = ?').run(
        JSON.stringify({
          ...summary,
          audience: summary.audience + 1,
          listed: summary.listed + 1,
          treatment: summary.treatment + (e.arm === 'treatment' ? 1 : 0),
          control: summary.control + (e.arm === 'control' ? 1 : 0),
        }),
        listId,
      );
      const taskId =
        e.arm === 'treatment'
          ? Number(
              db.sqlite
                .prepare(
                  "INSERT INTO rm_tasks (strategy_id, version, list_id, customer_id, rm_id, channel, event_id, due_at, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                )
                .run(
                  s.id,
                  s.currentVersion,
                  listId,
                  customer.id,
                  e.rmId,
                  s.definition.channel,
                  eventId,
                  due,
                  now.toISOString(),
                ).lastInsertRowid,
            )
          : null;
      tasks.push({
        taskId,
        strategyKey: s.key,
        arm: e.arm,
        rmId: e.rmId,
        dueAt: taskId === null ? null : due,
      });
    }
    appendAudit(
      db,
      {
        actor: who.actor,
        action: 'event.ingest',
        target: `customer:${customer.id}`,
        detail: {
          event: eventId,
          type: event.type,
          tasks: tasks.filter((t) => t.taskId !== null).length,
        },
        origin: who.origin ?? null,
      },
      now,
    );
    return { eventId, created: true, tasks, excluded };
  })();
}

/** Open tasks within the caller's scope (an RM their own), soonest first. */
export function listTasks(
  db: StrataDb,
  scope: Scope,
  limit = 100,
): {
  id: number;
  strategyKey: string;
  customerId: number;
  externalId: string;
  channel: string;
  eventId: string;
  dueAt: string;
}[] {
  const where = scopeCondition(scope);
  return db.sqlite
    .prepare(
      `SELECT t.id, s.key AS strategyKey, t.customer_id AS customerId, c.external_id AS externalId, t.channel, t.event_id AS eventId, t.due_at AS dueAt
       FROM rm_tasks t JOIN strategies s ON s.id = t.strategy_id JOIN customers c ON c.id = t.customer_id JOIN org_units u ON u.id = c.org_unit_id
       WHERE t.status = 'open' AND ${where.sql} ORDER BY t.due_at, t.id LIMIT ?`,
    )
    .all(...where.params, limit) as ReturnType<typeof listTasks>;
}
