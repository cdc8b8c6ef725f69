import {
  dayOf,
  generateLists,
  periodEndDay,
  selectByModel,
  type Channel,
  type ContactPolicy,
  type ListEntry,
  type ListRequest,
  type ListSummary,
  type Period,
  type ScorerRegistry,
} from '@strata/core';
import { appendAudit } from './audit.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { bumpResultsVersion } from './results-cache.js';
import { lastRefusals } from './outcomes.js';
import {
  customerColumns,
  listColumns,
  rememberListColumns,
  type ListColumns,
} from './columns-cache.js';
import { scoreCustomers } from './scoring.js';
import { StrategyError, getStrategy } from './strategies.js';
import { getBankSettings } from './settings.js';
import { withTrustedReferences } from './foreign-keys.js';
import type { StrataDb } from './types.js';
import { audienceMembers } from './audiences.js';

import { getList, type ListModel, type ListRow } from './queries/lists.js';

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
