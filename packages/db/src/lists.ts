import {
  MOT_EVENT_TYPES,
  NO_SEGMENT,
  compileRuleSql,
  dayOf,
  generateLists,
  isoDateOf,
  periodEndDay,
  selectByModel,
  type Channel,
  type ContactPolicy,
  type ListEntry,
  type ListRequest,
  type ListSummary,
  type ModelSelection,
  type Period,
  type ScorerRegistry,
  type StrategyDefinition,
} from '@strata/core';
import { ruleDialect } from './dialect.js';
import { appendAudit } from './audit.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { bumpResultsVersion } from './results-cache.js';
import { lastRefusals } from './outcomes.js';
import { scopeCondition, type Scope } from './queries/customers.js';
import {
  customerColumns,
  listColumns,
  rememberListColumns,
  runColumn,
  type ListColumns,
  runCustomers,
} from './columns-cache.js';
import { scoreCustomers } from './scoring.js';
import { StrategyError, getStrategy } from './strategies.js';
import { getBankSettings } from './settings.js';
import { withTrustedReferences } from './foreign-keys.js';
import type { StrataDb } from './types.js';

/** The insight_customers column of each dimension a map cell can name. */
export const CELL_COLUMNS: Readonly<Record<string, string>> = {
  primary: 'primary_segment',
  aum_tier: 'value_tier',
  corporate_tier: 'contribution_tier',
  risk_tier: 'risk_tier',
  enterprise_size: 'enterprise_size',
  cluster: 'cluster',
  pareto: 'pareto',
};

/** The customer ids a strategy's audience selects for a month. */
export function audienceMembers(
  db: StrataDb,
  definition: StrategyDefinition,
  period: Period,
  today: number,
): Int32Array {
  const audience = definition.audience;
  switch (audience.kind) {
    case 'rule': {
      const { sql, params } = compileRuleSql(audience.rule, {
        dialect: ruleDialect(db),
        asOf: period,
      });
      return Int32Array.from(
        db.sqlite
          .prepare(`SELECT customer_id FROM (${sql}) audience ORDER BY 1`)
          .pluck()
          .all(...params) as number[],
      );
    }
    case 'cell': {
      const run = getLatestInsightRun(db, period);
      if (!run)
        throw new StrategyError(
          `No insight run for ${period}: refresh it before making lists.`,
          'BAD_REQUEST',
        );
      const at = audience.segment.indexOf(':');
      const dimension = at < 0 ? 'primary' : audience.segment.slice(0, at);
      const value = at < 0 ? audience.segment : audience.segment.slice(at + 1);
      const column = CELL_COLUMNS[dimension];
      if (!column)
        throw new StrategyError(
          `A map cell cannot name the dimension "${dimension}".`,
          'BAD_REQUEST',
        );
      // from the run's in-memory columns (a run never changes): ascending ids
      const none = dimension === 'primary' && value === NO_SEGMENT;
      const { ids } = runCustomers(db, run.id);
      const rows = runColumn(db, run.id, column);
      const stages = runColumn(db, run.id, 'stage');
      const stage = stages.values.indexOf(audience.stage);
      const row = none ? -1 : rows.values.indexOf(value);
      if (stage < 0 || (!none && row < 0)) return new Int32Array(0);
      const out: number[] = [];
      for (let p = 0; p < ids.length; p++)
        if (stages.codes[p] === stage && rows.codes[p] === row) out.push(ids[p] as number);
      return Int32Array.from(out);
    }
    case 'event': {
      if (!MOT_EVENT_TYPES.includes(audience.event)) return new Int32Array(0);
      const since = isoDateOf(today - audience.withinDays);
      return Int32Array.from(
        db.sqlite
          .prepare(
            'SELECT DISTINCT customer_id FROM events WHERE type = ? AND occurred_on >= ? AND occurred_on <= ? ORDER BY 1',
          )
          .pluck()
          .all(audience.event, since, isoDateOf(today)) as number[],
      );
    }
  }
}

/** The model that chose within a list's audience, and how many it had to choose from. */
export interface ListModel {
  readonly scorer: string;
  readonly version: string;
  readonly select: ModelSelection['select'];
  readonly compare: boolean;
  /** The audience's customers, those the channel could contact now, and those the model scored. */
  readonly audience: number;
  readonly eligible: number;
  readonly scored: number;
}

/** A stored list as the API shows it. */
export interface ListRow {
  readonly id: number;
  readonly strategyKey: string;
  readonly version: number;
  readonly period: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly summary: ListSummary;
  readonly model: ListModel | null;
}

/** What making lists needs besides the store: who may make them and how. */
export interface ListRequestOptions {
  readonly keys: readonly string[];
  readonly period?: Period;
  readonly policy?: ContactPolicy;
  readonly now?: Date;
  /** The models strategies may name (`definition.model.scorer`). */
  readonly scorers?: ScorerRegistry;
}

/** The lists a run would make, computed without writing anything. */
function planLists(db: StrataDb, request: ListRequestOptions, preview = false) {
  const now = request.now ?? new Date();
  const period = (request.period ?? getLatestInsightRun(db)?.period) as Period | undefined;
  if (!period)
    throw new StrategyError('No insight run yet: refresh before making lists.', 'BAD_REQUEST');
  const today = Math.min(dayOf(now.toISOString().slice(0, 10)), periodEndDay(period));
  const policy = request.policy ?? getBankSettings(db).contactPolicy;
  const strategies = request.keys.map((key) => {
    const s = getStrategy(db, key);
    if (!s) throw new StrategyError(`No strategy "${key}".`, 'NOT_FOUND');
    if (s.status !== 'active' && !(preview && s.status !== 'retired'))
      throw new StrategyError(
        `Strategy "${key}" is ${s.status}: only active strategies make lists${preview ? ' (drafts and paused ones may be previewed)' : ''}.`,
        'CONFLICT',
      );
    return s;
  });
  // consent per channel, refusals, earlier treatment contacts this period, RMs — as flags and
  // counts by customer id (asked once per claim, a million times for a bank-sized list)
  const maxId = (db.sqlite.prepare('SELECT max(id) FROM customers').pluck().get() as number) ?? 0;
  const contactable = new Map<Channel, Uint8Array>();
  for (const channel of new Set(strategies.map((s) => s.definition.channel))) {
    const flags = new Uint8Array(maxId + 1);
    for (const id of db.sqlite
      .prepare(
        "SELECT customer_id FROM customer_consents WHERE channel = ? AND consent = 'granted' AND opted_out = 0",
      )
      .pluck()
      .all(channel) as number[])
      flags[id] = 1;
    contactable.set(channel, flags);
  }
  const mayContact = (id: number, channel: Channel) => contactable.get(channel)?.[id] === 1;
  // the month's lists (their in-memory columns; a list's entries share its strategy's channel)
  const earlier = new Map<string, Uint16Array>();
  for (const [listId, listed, channel] of db.sqlite
    .prepare(
      "SELECT l.id, json_extract(l.summary, '$.listed'), (SELECT channel FROM list_entries WHERE list_id = l.id LIMIT 1) FROM strategy_lists l WHERE l.period = ?",
    )
    .raw()
    .all(period) as [number, number, string | null][]) {
    if (channel === null) continue;
    const counts = earlier.get(channel) ?? new Uint16Array(maxId + 1);
    earlier.set(channel, counts);
    const { customerIds, treatment } = listColumns(db, listId, listed);
    for (let k = 0; k < customerIds.length; k++)
      if (treatment[k] === 1) {
        const id = customerIds[k] as number;
        counts[id] = Math.min(65_535, (counts[id] as number) + 1);
      }
  }
  const owners = customerColumns(db);
  const rmOf = (id: number) => {
    const at = owners.customers.at(id);
    const rm = at < 0 ? -1 : (owners.rmIds[at] as number);
    return rm < 0 ? null : rm;
  };
  const refusals = lastRefusals(db);
  const models = new Map<string, ListModel>();
  const scores = new Map<string, Map<number, number>>();
  const requests: ListRequest[] = strategies.map((s) => {
    const base = {
      strategyKey: s.key,
      version: s.currentVersion,
      priority: s.definition.priority,
      channel: s.definition.channel,
      controlShare: s.definition.controlShare,
    };
    const members = audienceMembers(db, s.definition, period, today);
    const model = s.definition.model;
    if (!model) return { ...base, audience: members };
    // a model chooses among the customers this channel may contact now
    const scorer = request.scorers?.get(model.scorer);
    if (!scorer)
      throw new StrategyError(
        `Strategy "${s.key}" names the model "${model.scorer}", which is not registered${
          request.scorers
            ? ` (registered: ${
                request.scorers
                  .list()
                  .map((x) => x.name)
                  .join(', ') || 'none'
              })`
            : ''
        }.`,
        'BAD_REQUEST',
      );
    const eligible = members.filter((id) => {
      const refused = refusals.get(id);
      return (
        mayContact(id, s.definition.channel) &&
        !(refused !== undefined && today - refused < policy.coolingOffDays)
      );
    });
    const scored = scoreCustomers(db, scorer, period, eligible);
    const selection = selectByModel(eligible, scored, model, s.key);
    scores.set(s.key, new Map(Array.from(eligible, (id, k) => [id, scored[k] as number])));
    models.set(s.key, {
      scorer: scorer.name,
      version: scorer.version,
      select: model.select,
      compare: model.compare,
      audience: members.length,
      eligible: eligible.length,
      scored: scored.filter((x) => !Number.isNaN(x)).length,
    });
    return {
      ...base,
      audience: Int32Array.from(selection.keys()).sort(),
      selection,
    };
  });
  const { entries, summary } = generateLists(
    requests,
    policy,
    {
      mayContact,
      lastRefusalDay: (id) => refusals.get(id),
      contactsThisPeriod: (id, channel) => earlier.get(channel)?.[id] ?? 0,
    },
    today,
    rmOf,
  );
  return { now, period, strategies, entries, summary, models, scores };
}

/** A list a run would make: its counts after eligibility, control and arbitration, not stored. */
export interface ListPreview {
  readonly strategyKey: string;
  readonly version: number;
  readonly period: string;
  readonly summary: ListSummary;
  readonly model: ListModel | null;
}

/**
 * What `generateStrategyLists` would make now, for the strategy editor's preview: the same
 * audiences, consent, caps, arbitration, control and model, nothing written or audited. Drafts
 * and paused strategies may be previewed too.
 */
export function previewStrategyLists(db: StrataDb, request: ListRequestOptions): ListPreview[] {
  const plan = db.sqlite.transaction(() => planLists(db, request, true))();
  return plan.strategies.map((s) => ({
    strategyKey: s.key,
    version: s.currentVersion,
    period: plan.period,
    summary: plan.summary.find((x) => x.strategyKey === s.key) as ListSummary,
    model: plan.models.get(s.key) ?? null,
  }));
}

/** One list's entries in ascending customer order, and the same as in-memory columns. */
interface ListBucket {
  readonly entries: ListEntry[];
  readonly columns: ListColumns;
}

/**
 * The entries of each strategy's list, by ascending customer id. Arbitration hands them out
 * customer by customer, so each list's share is already in order; a list that is not is sorted.
 */
function listColumnsOf(
  strategies: readonly { readonly key: string }[],
  entries: readonly ListEntry[],
): Map<string, ListBucket> {
  const byKey = new Map<string, ListEntry[]>(strategies.map((s) => [s.key, []]));
  for (const e of entries) (byKey.get(e.strategyKey) as ListEntry[]).push(e);
  const out = new Map<string, ListBucket>();
  for (const [key, mine] of byKey) {
    let ordered = true;
    for (let k = 1; k < mine.length && ordered; k++)
      ordered = (mine[k - 1] as ListEntry).customerId < (mine[k] as ListEntry).customerId;
    if (!ordered) mine.sort((a, b) => a.customerId - b.customerId);
    const customerIds = new Int32Array(mine.length);
    const treatment = new Uint8Array(mine.length);
    for (let k = 0; k < mine.length; k++) {
      const e = mine[k] as ListEntry;
      customerIds[k] = e.customerId;
      treatment[k] = e.arm === 'treatment' ? 1 : 0;
    }
    out.set(key, { entries: mine, columns: { customerIds, treatment } });
  }
  return out;
}

/**
 * Makes and stores the lists of active strategies for a month, in one transaction (no partial
 * list is ever visible): each audience, then consent and opt-out, the period's earlier contacts,
 * caps and priority (`generateLists`), the control arm, the owning RM. Audited.
 */
export function generateStrategyLists(
  db: StrataDb,
  request: ListRequestOptions & {
    readonly actor: string;
    readonly origin?: string | null;
  },
): ListRow[] {
  let made: { ids: Map<string, number>; columns: Map<string, ListBucket> } | null = null;
  // Every listed id comes, inside this transaction, from customers or from a table whose
  // foreign key references them (a run's tags, events): the per-row lookups can go (~0.2 s of a
  // 165,000-entry run on the 1M bank).
  const rows = withTrustedReferences(db, () =>
    db.sqlite.transaction(() => {
      const { now, period, strategies, entries, summary, models, scores } = planLists(db, request);
      bumpResultsVersion(db, now);
      const insertList = db.sqlite.prepare(
        'INSERT INTO strategy_lists (strategy_id, version, period, created_by, created_at, summary, model) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const insertEntry = db.sqlite.prepare(
        'INSERT INTO list_entries (list_id, customer_id, arm, channel, rm_id, selection, score) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const ids = new Map<string, number>();
      for (const s of strategies) {
        const sum = summary.find((x) => x.strategyKey === s.key) as ListSummary;
        ids.set(
          s.key,
          Number(
            insertList.run(
              s.id,
              s.currentVersion,
              period,
              request.actor,
              now.toISOString(),
              JSON.stringify(sum),
              models.has(s.key) ? JSON.stringify(models.get(s.key)) : null,
            ).lastInsertRowid,
          ),
        );
      }
      // Each list's entries in ascending customer order, one list after the other: the key's
      // b-tree is then only appended to, and the columns kept in memory come out of the same
      // pass (the 1M bank's 831k entries: 1.33 s of writing and 0.3 s of sorting them again
      // afterwards before; ~1.0 s in all now, with the table clustered by its key).
      const columns = listColumnsOf(strategies, entries);
      // 64 rows per INSERT: a bank-sized run writes hundreds of thousands
      const ROWS = 64;
      const tuple = '(?, ?, ?, ?, ?, ?, ?)';
      const insertMany = db.sqlite.prepare(
        `INSERT INTO list_entries (list_id, customer_id, arm, channel, rm_id, selection, score) VALUES ${Array.from({ length: ROWS }, () => tuple).join(', ')}`,
      );
      const values: unknown[] = [];
      for (const s of strategies) {
        const listId = ids.get(s.key) as number;
        const channel = s.definition.channel;
        const scored = scores.get(s.key);
        for (const e of (columns.get(s.key) as ListBucket).entries) {
          const score = scored?.get(e.customerId);
          values.push(
            listId,
            e.customerId,
            e.arm,
            channel,
            e.rmId,
            e.selection,
            score === undefined || Number.isNaN(score) ? null : score,
          );
          if (values.length === ROWS * 7) {
            insertMany.run(values);
            values.length = 0;
          }
        }
      }
      for (let at = 0; at < values.length; at += 7) insertEntry.run(values.slice(at, at + 7));
      appendAudit(
        db,
        {
          actor: request.actor,
          action: 'list.generate',
          target: [...ids.values()].map((id) => `list:${id}`).join(','),
          detail: { period, strategies: summary },
          origin: request.origin ?? null,
        },
        now,
      );
      made = { ids, columns };
      return [...ids.values()].map((id) => getList(db, id) as ListRow);
    })(),
  );
  // Committed (not inside a caller's transaction, which could still roll back and free the ids):
  // the map and the board count the new lists from memory without reading them back.
  if (made && !db.sqlite.inTransaction) {
    const { ids, columns } = made as { ids: Map<string, number>; columns: Map<string, ListBucket> };
    for (const [key, listId] of ids)
      rememberListColumns(db, listId, (columns.get(key) as ListBucket).columns);
  }
  return rows;
}

/** A strategy's lists, newest first (or every strategy's). */
export function listLists(
  db: StrataDb,
  filter: { readonly strategyKey?: string; readonly limit?: number } = {},
): ListRow[] {
  const ids = db.sqlite
    .prepare(
      `SELECT l.id FROM strategy_lists l JOIN strategies s ON s.id = l.strategy_id
       WHERE (? IS NULL OR s.key = ?) ORDER BY l.id DESC LIMIT ?`,
    )
    .pluck()
    .all(filter.strategyKey ?? null, filter.strategyKey ?? null, filter.limit ?? 50) as number[];
  return ids.map((id) => getList(db, id) as ListRow);
}

/** One stored list, or undefined. */
export function getList(db: StrataDb, id: number): ListRow | undefined {
  const row = db.sqlite
    .prepare(
      `SELECT l.id, s.key AS strategyKey, l.version, l.period, l.created_by AS createdBy, l.created_at AS createdAt, l.summary, l.model
       FROM strategy_lists l JOIN strategies s ON s.id = l.strategy_id WHERE l.id = ?`,
    )
    .get(id) as
    (Omit<ListRow, 'summary' | 'model'> & { summary: string; model: string | null }) | undefined;
  return (
    row && {
      ...row,
      summary: JSON.parse(row.summary) as ListSummary,
      model: row.model === null ? null : (JSON.parse(row.model) as ListModel),
    }
  );
}

/** A list's entries the caller may see (their scope applied in the query), with masked-free ids. */
export function getListEntries(
  db: StrataDb,
  id: number,
  scope: Scope,
  page: { limit: number; offset: number } = { limit: 100, offset: 0 },
): {
  customerId: number;
  externalId: string;
  arm: string;
  rmCode: string | null;
  orgUnitCode: string;
  selection: string | null;
  score: number | null;
}[] {
  const where = scopeCondition(scope);
  return db.sqlite
    .prepare(
      `SELECT e.customer_id AS customerId, c.external_id AS externalId, e.arm, r.code AS rmCode, u.code AS orgUnitCode,
         e.selection, e.score
       FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN relationship_managers r ON r.id = e.rm_id
       WHERE e.list_id = ? AND ${where.sql} ORDER BY e.customer_id LIMIT ? OFFSET ?`,
    )
    .all(id, ...where.params, page.limit, page.offset) as ReturnType<typeof getListEntries>;
}
