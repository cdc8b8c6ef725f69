import { bumpResultsVersion } from './results-cache.js';
import { compareProportions, recommend } from '@strata/core';
import { appendAudit } from './audit.js';
import { listColumns } from './columns-cache.js';
import { scopeCondition, type Scope } from './queries/customers.js';
import { StrategyError, getStrategy } from './strategies.js';
import type { StrataDb } from './types.js';

/** One customer's outcome on a list. */
export interface OutcomeInput {
  readonly customerId: number;
  readonly contacted?: boolean;
  readonly responded?: boolean;
  /** A refusal: the customer is not contacted again during the cooling-off. */
  readonly declined?: boolean;
  readonly converted?: boolean;
  readonly amount?: number | null;
  readonly feedback?: string | null;
  /** YYYY-MM-DD. */
  readonly occurredOn: string;
}

/**
 * Records outcomes on a list (replacing earlier ones of the same customers), for customers on the
 * list and in the caller's scope only: if any is not, nothing is recorded and the error names
 * them. One transaction; audited with the count.
 */
export function recordOutcomes(
  db: StrataDb,
  listId: number,
  outcomes: readonly OutcomeInput[],
  who: {
    readonly scope: Scope;
    readonly actor: string;
    readonly origin?: string | null;
    readonly now?: Date;
  },
): { readonly recorded: number } {
  const now = who.now ?? new Date();
  const where = scopeCondition(who.scope);
  const onList = db.sqlite.prepare(
    `SELECT 1 FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
     WHERE e.list_id = ? AND e.customer_id = ? AND ${where.sql}`,
  );
  const upsert = db.sqlite.prepare(
    `INSERT INTO list_outcomes (list_id, customer_id, contacted, responded, declined, converted, amount, feedback, occurred_on, recorded_by, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (list_id, customer_id) DO UPDATE SET contacted = excluded.contacted, responded = excluded.responded,
       declined = excluded.declined, converted = excluded.converted, amount = excluded.amount, feedback = excluded.feedback,
       occurred_on = excluded.occurred_on, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
  );
  return db.sqlite.transaction(() => {
    const missing = outcomes
      .filter((o) => onList.get(listId, o.customerId, ...where.params) === undefined)
      .map((o) => o.customerId);
    if (missing.length > 0)
      throw new StrategyError(
        `Not on list ${listId} (or not yours to record): customer${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}. Nothing was recorded.`,
        'NOT_FOUND',
      );
    bumpResultsVersion(db, now);
    for (const o of outcomes)
      upsert.run(
        listId,
        o.customerId,
        o.contacted ? 1 : 0,
        o.responded ? 1 : 0,
        o.declined ? 1 : 0,
        o.converted ? 1 : 0,
        o.amount ?? null,
        o.feedback ?? null,
        o.occurredOn,
        who.actor,
        now.toISOString(),
      );
    appendAudit(
      db,
      {
        actor: who.actor,
        action: 'outcome.record',
        target: `list:${listId}`,
        detail: { outcomes: outcomes.length },
        origin: who.origin ?? null,
      },
      now,
    );
    return { recorded: outcomes.length };
  })();
}

/** The campaign code under which a list goes to CRM and call-out systems: `<strategy>-L<list>`. */
export function campaignCodeOf(strategyKey: string, listId: number): string {
  return `${strategyKey}-L${listId}`;
}

/** What linking an import's campaign outcomes to lists did. */
export interface OutcomeLinks {
  /**
   * Outcomes recorded on lists. A customer's outcomes under one code are merged (responded,
   * declined or converted if any says so; amounts summed; the latest day) and replace what the
   * list held for that customer.
   */
  readonly linked: number;
  /** Lists that received outcomes. */
  readonly lists: number;
  /** Outcomes kept as campaign outcomes only: their code names no list, or the customer is not on it. */
  readonly unmatched: number;
  /** The first campaign codes that name no list. */
  readonly unknownCodes: readonly string[];
}

/**
 * Records the campaign outcomes an import wrote (batch `batch`) on the lists their campaign
 * codes name (`<strategy>-L<list>`, the code of the list's CSV export): contacted for treatment
 * customers, responded, declined (the cooling-off starts there), converted, amount, feedback.
 * Outcomes of a customer not on the list, or with a code of no list, stay campaign outcomes only
 * and are counted. Runs inside the import's transaction.
 */
export function linkCampaignOutcomes(db: StrataDb, batch: number, recordedAt: Date): OutcomeLinks {
  const codes = db.sqlite
    .prepare(
      'SELECT campaign_code AS code, count(*) AS n FROM campaign_outcomes WHERE import_batch = ? GROUP BY 1',
    )
    .all(batch) as { code: string; n: number }[];
  const listOf = db.sqlite.prepare(
    'SELECT l.id FROM strategy_lists l JOIN strategies s ON s.id = l.strategy_id WHERE l.id = ? AND s.key = ?',
  );
  const link = db.sqlite.prepare(
    `INSERT INTO list_outcomes (list_id, customer_id, contacted, responded, declined, converted, amount, feedback, occurred_on, recorded_by, recorded_at)
     SELECT e.list_id, o.customer_id, CASE WHEN e.arm = 'treatment' THEN 1 ELSE 0 END, max(o.responded), max(o.declined), max(o.converted),
       sum(o.amount), max(o.feedback), max(o.contacted_on), ?, ?
     FROM campaign_outcomes o JOIN list_entries e ON e.list_id = ? AND e.customer_id = o.customer_id
     WHERE o.import_batch = ? AND o.campaign_code = ? GROUP BY e.list_id, o.customer_id, e.arm
     ON CONFLICT (list_id, customer_id) DO UPDATE SET contacted = excluded.contacted, responded = excluded.responded,
       declined = excluded.declined, converted = excluded.converted, amount = excluded.amount, feedback = excluded.feedback,
       occurred_on = excluded.occurred_on, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
  );
  const onList = db.sqlite
    .prepare(
      'SELECT count(*) FROM campaign_outcomes o JOIN list_entries e ON e.list_id = ? AND e.customer_id = o.customer_id WHERE o.import_batch = ? AND o.campaign_code = ?',
    )
    .pluck();
  let linked = 0;
  let lists = 0;
  let total = 0;
  const unknownCodes: string[] = [];
  bumpResultsVersion(db, recordedAt);
  for (const { code, n } of codes) {
    total += n;
    const m = /^([a-z0-9][a-z0-9-]*)-L(\d+)$/.exec(code);
    const id = m && (listOf.pluck().get(Number(m[2]), m[1]) as number | undefined);
    if (!id) {
      if (unknownCodes.length < 20) unknownCodes.push(code);
      continue;
    }
    const matched = onList.get(id, batch, code) as number;
    if (matched === 0) continue;
    link.run(`import:${batch}`, recordedAt.toISOString(), id, batch, code);
    linked += matched;
    lists++;
  }
  return { linked, lists, unmatched: total - linked, unknownCodes };
}

/** The day (days since 1970) of each customer's last refusal, for the cooling-off. */
export function lastRefusals(db: StrataDb): Map<number, number> {
  const rows = db.sqlite
    .prepare(
      'SELECT customer_id AS id, CAST(julianday(max(occurred_on)) - 2440587.5 AS INTEGER) AS day FROM list_outcomes WHERE declined = 1 GROUP BY 1',
    )
    .all() as { id: number; day: number }[];
  return new Map(rows.map((r) => [r.id, r.day]));
}

/** One row of the strategy board (策略管理看板). */
export interface BoardRow {
  readonly key: string;
  readonly name: string;
  /** The English name (the Chinese one when none was given). */
  readonly nameEn: string;
  readonly status: string;
  readonly version: number;
  readonly channel: string;
  readonly lists: number;
  /** Treatment customers listed (who the strategy reached for). */
  readonly reach: number;
  readonly contacted: number;
  readonly conversions: number;
  readonly amount: number;
  readonly control: { readonly n: number; readonly conversions: number };
  /** Conversion uplift with its interval, when both arms have customers. */
  readonly uplift: {
    readonly value: number;
    readonly ci: readonly [number, number];
    readonly p: number;
  } | null;
  readonly kpi: {
    readonly metric: string;
    readonly target: number;
    readonly actual: number;
    readonly progress: number;
  };
  /**
   * What to do with it, from all its lists' treatment against control and the KPI (core's
   * `recommend`); null without a control group (the strategy's review then judges by the data).
   */
  readonly recommendation: ReturnType<typeof recommend> | null;
}

/**
 * The strategy board: every active or paused strategy's reach, contacts, conversions, amount,
 * uplift and KPI progress, over all its lists and outcomes (the whole bank's from the lists'
 * in-memory columns; a scope's from one SQL join over its customers' entries).
 */
export function strategyBoard(
  db: StrataDb,
  options: { readonly scope?: Scope; readonly key?: string } = {},
): BoardRow[] {
  // with a scope, only the list entries of customers in it count (a branch's view of the board)
  const where = options.scope ? scopeCondition(options.scope) : null;
  const rows = where ? scopedBoardRows(db, where, options.key) : boardRows(db, options.key);
  const keys = db.sqlite
    .prepare(
      "SELECT key FROM strategies WHERE status IN ('active', 'paused') AND (? IS NULL OR key = ?) ORDER BY key",
    )
    .pluck()
    .all(options.key ?? null, options.key ?? null) as string[];
  return keys.map((key) => {
    const s = getStrategy(db, key);
    if (!s) throw new StrategyError(`No strategy "${key}".`, 'NOT_FOUND');
    const t = rows.find((r) => r.key === key && r.arm === 'treatment');
    const c = rows.find((r) => r.key === key && r.arm === 'control');
    const reach = t?.n ?? 0;
    const conversions = t?.converted ?? 0;
    const comparison =
      t && c
        ? compareProportions({ n: t.n, converted: t.converted }, { n: c.n, converted: c.converted })
        : null;
    const kpi = s.definition.kpi;
    const actual =
      kpi.metric === 'conversion_rate'
        ? reach === 0
          ? 0
          : conversions / reach
        : kpi.metric === 'customers'
          ? conversions
          : (t?.amount ?? 0);
    return {
      key,
      name: s.definition.name,
      nameEn: s.definition.nameEn || s.definition.name,
      status: s.status,
      version: s.currentVersion,
      channel: s.definition.channel,
      lists: Math.max(t?.lists ?? 0, c?.lists ?? 0),
      reach,
      contacted: t?.contacted ?? 0,
      conversions,
      amount: t?.amount ?? 0,
      control: { n: c?.n ?? 0, conversions: c?.converted ?? 0 },
      uplift: comparison && { value: comparison.uplift, ci: comparison.upliftCi, p: comparison.p },
      kpi: {
        metric: kpi.metric,
        target: kpi.target,
        actual,
        progress: kpi.target === 0 ? 0 : actual / kpi.target,
      },
      recommendation:
        comparison && t && c ? recommend(comparison, { treatment: t.n, control: c.n }, kpi) : null,
    };
  });
}

interface BoardArmRow {
  key: string;
  arm: string;
  lists: number;
  n: number;
  contacted: number;
  converted: number;
  amount: number;
}

/** Per strategy and arm, over the entries of customers in a scope: one SQL join. */
function scopedBoardRows(
  db: StrataDb,
  where: ReturnType<typeof scopeCondition>,
  key: string | undefined,
): BoardArmRow[] {
  return db.sqlite
    .prepare(
      `SELECT s.key, e.arm, count(DISTINCT l.id) AS lists, count(*) AS n, sum(coalesce(o.contacted, 0)) AS contacted,
         sum(coalesce(o.converted, 0)) AS converted, sum(coalesce(o.amount, 0)) AS amount
       FROM strategies s JOIN strategy_lists l ON l.strategy_id = s.id JOIN list_entries e ON e.list_id = l.id
       JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN list_outcomes o ON o.list_id = e.list_id AND o.customer_id = e.customer_id
       WHERE s.status IN ('active', 'paused') AND (? IS NULL OR s.key = ?) AND ${where.sql}
       GROUP BY s.key, e.arm`,
    )
    .all(key ?? null, key ?? null, ...where.params) as BoardArmRow[];
}

/**
 * Per strategy and arm over the whole bank: entries counted from the lists' in-memory columns
 * (checked against each list's `summary.listed`), outcomes read fresh (1M bank, 2M entries: 2.0 s as one SQL join).
 */
function boardRows(db: StrataDb, key: string | undefined): BoardArmRow[] {
  const lists = db.sqlite
    .prepare(
      `SELECT l.id, s.key, json_extract(l.summary, '$.listed') FROM strategies s
       JOIN strategy_lists l ON l.strategy_id = s.id
       WHERE s.status IN ('active', 'paused') AND (? IS NULL OR s.key = ?) ORDER BY l.id`,
    )
    .raw()
    .all(key ?? null, key ?? null) as [number, string, number][];
  const outcomesOf = db.sqlite.prepare(
    'SELECT customer_id, contacted, converted, coalesce(amount, 0) FROM list_outcomes WHERE list_id = ?',
  );
  const out = new Map<string, BoardArmRow>();
  for (const [listId, strategy, listed] of lists) {
    const { customerIds, treatment } = listColumns(db, listId, listed);
    const sums = [0, 1].map(() => ({ n: 0, contacted: 0, converted: 0, amount: 0 }));
    for (let k = 0; k < treatment.length; k++) (sums[treatment[k] as number] as { n: number }).n++;
    for (const [id, contacted, converted, amount] of outcomesOf.raw().iterate(listId) as Iterable<
      [number, number, number, number]
    >) {
      const at = binarySearch(customerIds, id);
      if (at < 0) continue; // an outcome for a customer not on the list counts nowhere, as in SQL
      const arm = sums[treatment[at] as number] as (typeof sums)[number];
      arm.contacted += contacted;
      arm.converted += converted;
      arm.amount += amount;
    }
    sums.forEach((sum, t) => {
      if (sum.n === 0) return;
      const arm = t === 1 ? 'treatment' : 'control';
      const row = out.get(`${strategy}\u0000${arm}`) ?? {
        key: strategy,
        arm,
        lists: 0,
        n: 0,
        contacted: 0,
        converted: 0,
        amount: 0,
      };
      row.lists++;
      row.n += sum.n;
      row.contacted += sum.contacted;
      row.converted += sum.converted;
      row.amount += sum.amount;
      out.set(`${strategy}\u0000${arm}`, row);
    });
  }
  return [...out.values()];
}

/** The position of `id` in an ascending list, -1 if absent. */
function binarySearch(ids: Int32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid] as number;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
