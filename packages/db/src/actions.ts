import { describeAudience, type StrategyDefinition } from '@strata/core';
import { campaignCodeOf, recordOutcomes } from './outcomes.js';
import { scopeCondition, type Scope } from './queries/customers.js';
import { StrategyError } from './strategies.js';
import type { StrataDb } from './types.js';

/** A next best action: a strategy that has this customer in its current list, to act on now. */
export interface NextAction {
  readonly listId: number;
  /** The code CRM and call-out systems know the list by (`<strategy>-L<list>`). */
  readonly campaignCode: string;
  readonly customerId: number;
  readonly customerExternalId: string;
  readonly strategyKey: string;
  readonly name: string;
  readonly nameEn: string;
  readonly objective: string;
  readonly products: readonly string[];
  readonly channel: string;
  /** The script (话术) to follow. */
  readonly script: string;
  readonly priority: number;
  /** Why the customer is targeted: the strategy's audience, in words. */
  readonly audience: { readonly zh: string; readonly en: string };
  readonly period: string;
  /** The model's score when a model chose the customer. */
  readonly score: number | null;
  /** What has been recorded so far (all false when nothing has). */
  readonly outcome: {
    readonly contacted: boolean;
    readonly responded: boolean;
    readonly declined: boolean;
    readonly converted: boolean;
    readonly amount: number | null;
    readonly occurredOn: string | null;
  };
}

interface Row {
  listId: number;
  customerId: number;
  customerExternalId: string;
  strategyKey: string;
  definition: string;
  period: string;
  channel: string;
  score: number | null;
  contacted: number | null;
  responded: number | null;
  declined: number | null;
  converted: number | null;
  amount: number | null;
  occurredOn: string | null;
}

/**
 * The next best actions in the caller's scope (one customer's, or — without a customer — those
 * of every customer the caller may see, e.g. an RM's book): for each active strategy, the
 * customer's place in its latest list, in the treatment arm (control customers are held back and
 * never shown an action), while the outcome is still open (not declined, not converted). Highest
 * priority first; arbitration and contact caps were applied when the list was made.
 */
export function nextActions(
  db: StrataDb,
  scope: Scope,
  options: { readonly customerId?: number; readonly limit?: number } = {},
): NextAction[] {
  const where = scopeCondition(scope);
  // One customer's actions (a profile card, a widget) read that customer's list entries by
  // index; "? IS NULL OR e.customer_id = ?" would scan every entry of every list instead.
  const customer = options.customerId !== undefined;
  const columns = `e.list_id AS listId, e.customer_id AS customerId, c.external_id AS customerExternalId,
         s.key AS strategyKey, v.definition, l.period, e.channel, e.score,
         o.contacted, o.responded, o.declined, o.converted, o.amount, o.occurred_on AS occurredOn`;
  const joins = `JOIN strategy_lists l ON l.id = e.list_id
       JOIN strategies s ON s.id = l.strategy_id AND s.status = 'active'
       JOIN strategy_versions v ON v.strategy_id = s.id AND v.version = l.version
       JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN list_outcomes o ON o.list_id = e.list_id AND o.customer_id = e.customer_id`;
  const open = `e.arm = 'treatment' AND coalesce(o.declined, 0) = 0 AND coalesce(o.converted, 0) = 0`;
  // The limit written into the SQL, not bound: with `LIMIT ?` SQLite took 4–5 times as long over
  // the same plan (55 µs against 12 µs for one customer of the 1M bank).
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`not a limit: ${limit}`);
  const order = `ORDER BY json_extract(v.definition, '$.priority') DESC, e.score DESC, e.list_id DESC, e.customer_id
       LIMIT ${limit}`;
  const rows = (
    customer
      ? // the customer's latest list of each strategy, found once (not once per entry: a
        // customer on many months' lists made that quadratic)
        db.sqlite
          .prepare(
            `WITH latest AS (
               SELECT max(e.list_id) AS listId FROM list_entries e JOIN strategy_lists l ON l.id = e.list_id
               WHERE e.customer_id = ? GROUP BY l.strategy_id)
             SELECT ${columns} FROM latest JOIN list_entries e ON e.list_id = latest.listId AND e.customer_id = ?
             ${joins}
             WHERE ${open} AND ${where.sql}
             ${order}`,
          )
          .all(options.customerId, options.customerId, ...where.params)
      : db.sqlite
          .prepare(
            `SELECT ${columns} FROM list_entries e
             ${joins}
             WHERE ${open}
               AND l.id = (SELECT max(l2.id) FROM strategy_lists l2 JOIN list_entries e2 ON e2.list_id = l2.id
                           WHERE l2.strategy_id = s.id AND e2.customer_id = e.customer_id)
               AND ${where.sql}
             ${order}`,
          )
          .all(...where.params)
  ) as Row[];
  const segments = rows.length
    ? (db.sqlite.prepare('SELECT key, name, name_en AS nameEn FROM segments').all() as {
        key: string;
        name: string;
        nameEn: string;
      }[])
    : [];
  return rows.map((r) => {
    const d = JSON.parse(r.definition) as StrategyDefinition;
    return {
      listId: r.listId,
      campaignCode: campaignCodeOf(r.strategyKey, r.listId),
      customerId: r.customerId,
      customerExternalId: r.customerExternalId,
      strategyKey: r.strategyKey,
      name: d.name,
      nameEn: d.nameEn || d.name,
      objective: d.objective,
      products: d.products,
      channel: r.channel,
      script: d.script,
      priority: d.priority,
      audience: {
        zh: describeAudience(d, segments, 'zh-CN'),
        en: describeAudience(d, segments, 'en'),
      },
      period: r.period,
      score: r.score,
      outcome: {
        contacted: r.contacted === 1,
        responded: r.responded === 1,
        declined: r.declined === 1,
        converted: r.converted === 1,
        amount: r.amount,
        occurredOn: r.occurredOn,
      },
    };
  });
}

/** What a front-line user reports about an action. */
export const ACTION_RESULTS = ['contacted', 'accepted', 'declined', 'converted'] as const;
export type ActionResult = (typeof ACTION_RESULTS)[number];

/**
 * Records what happened with an action, merged with what was recorded before (a contact stays
 * recorded when an acceptance follows): contacted; accepted (contacted and responded); declined
 * (contacted; starts the cooling-off); converted (contacted, responded, converted, with the
 * amount). Only a treatment customer on the list, in the caller's scope. Audited.
 */
export function recordAction(
  db: StrataDb,
  action: {
    readonly listId: number;
    readonly customerId: number;
    readonly result: ActionResult;
    readonly amount?: number | null;
    readonly feedback?: string | null;
    readonly occurredOn: string;
  },
  who: {
    readonly scope: Scope;
    readonly actor: string;
    readonly origin?: string | null;
    readonly now?: Date;
  },
): NextAction['outcome'] {
  return db.sqlite.transaction(() => {
    const arm = db.sqlite
      .prepare('SELECT arm FROM list_entries WHERE list_id = ? AND customer_id = ?')
      .pluck()
      .get(action.listId, action.customerId) as string | undefined;
    if (arm === 'control')
      throw new StrategyError(
        `Customer ${action.customerId} is in list ${action.listId}'s control group: held back, not to be contacted.`,
        'CONFLICT',
      );
    const before = db.sqlite
      .prepare(
        'SELECT contacted, responded, declined, converted, amount, feedback FROM list_outcomes WHERE list_id = ? AND customer_id = ?',
      )
      .get(action.listId, action.customerId) as
      | {
          contacted: number;
          responded: number;
          declined: number;
          converted: number;
          amount: number | null;
          feedback: string | null;
        }
      | undefined;
    const r = action.result;
    const outcome = {
      customerId: action.customerId,
      contacted: true,
      responded: Boolean(before?.responded) || r === 'accepted' || r === 'converted',
      declined: r === 'declined' || (Boolean(before?.declined) && r !== 'converted'),
      converted: Boolean(before?.converted) || r === 'converted',
      amount: r === 'converted' ? (action.amount ?? null) : (before?.amount ?? null),
      feedback: action.feedback ?? before?.feedback ?? null,
      occurredOn: action.occurredOn,
    };
    // scope and list membership are checked (and the write audited) by recordOutcomes
    recordOutcomes(db, action.listId, [outcome], who);
    return {
      contacted: outcome.contacted,
      responded: outcome.responded,
      declined: outcome.declined,
      converted: outcome.converted,
      amount: outcome.amount,
      occurredOn: outcome.occurredOn,
    };
  })();
}
