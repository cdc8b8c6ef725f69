// In-memory columns of what never changes once written — a succeeded insight run's per-customer
// tags — or only grows — a list's entries (an event-triggered strategy appends to its month's
// list; `summary.listed` counts them, so a cached list is checked against it) — so the strategy map's per-cell results and the board count
// millions of list entries in typed arrays instead of joining them in SQL on every call (1M bank,
// 2M entries: 5.2 s and 2.1 s in SQL). Each column is read once, with index-ordered single-column
// reads (`pluck`), and kept per database handle; what can change (customers' org units) is keyed
// by the data version. Nothing here writes.
import { dataVersion } from './metric-blocks.js';
import type { StrataDb } from './types.js';

/** A dictionary-encoded column: `codes[i]` indexes `values`, -1 for NULL. */
export interface CodedColumn {
  readonly codes: Int32Array;
  readonly values: readonly string[];
}

/** A run's customers, ascending, with a lookup from customer id to position. */
export interface RunCustomers {
  readonly ids: Int32Array;
  /** Position of a customer id in `ids`, -1 if the run has no row for it. */
  readonly at: (id: number) => number;
}

/** A list's entries, by ascending customer id; `treatment[k]` is 1 for the treatment arm. */
export interface ListColumns {
  readonly customerIds: Int32Array;
  readonly treatment: Uint8Array;
}

interface Caches {
  runs: Map<number, { customers: RunCustomers; columns: Map<string, CodedColumn> }>;
  lists: Map<number, ListColumns>;
  listEntries: number;
  units: {
    version: number;
    customers: RunCustomers;
    unitIds: Int32Array;
    rmIds: Int32Array;
  } | null;
}

const caches = new WeakMap<StrataDb, Caches>();
/** Runs kept (the map reads one or two: the lists' months). */
const RUNS = 4;
/** List entries kept in all (4 bytes + 1 per entry). */
const LIST_ENTRIES = 40_000_000;

function cachesOf(db: StrataDb): Caches {
  let c = caches.get(db);
  if (!c) {
    c = { runs: new Map(), lists: new Map(), listEntries: 0, units: null };
    caches.set(db, c);
  }
  return c;
}

/** A lookup from id to position in an ascending id list: dense when the ids are. */
function positions(ids: Int32Array): (id: number) => number {
  const n = ids.length;
  const max = n === 0 ? 0 : (ids[n - 1] as number);
  if (max <= 8 * n + 1024) {
    const dense = new Int32Array(max + 1).fill(-1);
    ids.forEach((id, i) => (dense[id] = i));
    return (id) => (id >= 0 && id <= max ? (dense[id] as number) : -1);
  }
  const sparse = new Map<number, number>();
  ids.forEach((id, i) => sparse.set(id, i));
  return (id) => sparse.get(id) ?? -1;
}

const ints = (db: StrataDb, sql: string, ...params: unknown[]) =>
  Int32Array.from(
    db.sqlite
      .prepare(sql)
      .pluck()
      .all(...params) as number[],
  );

function runEntry(db: StrataDb, runId: number) {
  const c = cachesOf(db);
  let run = c.runs.get(runId);
  if (!run) {
    const ids = ints(
      db,
      'SELECT customer_id FROM insight_customers WHERE run_id = ? ORDER BY customer_id',
      runId,
    );
    run = { customers: { ids, at: positions(ids) }, columns: new Map() };
    c.runs.set(runId, run);
    while (c.runs.size > RUNS) c.runs.delete(c.runs.keys().next().value as number);
  }
  return run;
}

/** The customers a succeeded insight run has rows for. */
export function runCustomers(db: StrataDb, runId: number): RunCustomers {
  return runEntry(db, runId).customers;
}

const RUN_COLUMNS = new Set([
  'stage',
  'primary_segment',
  'value_tier',
  'contribution_tier',
  'risk_tier',
  'enterprise_size',
  'cluster',
  'pareto',
]);

/**
 * One `insight_customers` column of a succeeded run, in `runCustomers` order, as text codes
 * (numbers as SQLite's CAST AS TEXT writes them). Runs never change once succeeded.
 */
export function runColumn(db: StrataDb, runId: number, column: string): CodedColumn {
  if (!RUN_COLUMNS.has(column)) throw new RangeError(`No insight column "${column}"`);
  const run = runEntry(db, runId);
  let coded = run.columns.get(column);
  if (!coded) {
    const raw = db.sqlite
      .prepare(
        `SELECT CAST(${column} AS TEXT) FROM insight_customers WHERE run_id = ? ORDER BY customer_id`,
      )
      .pluck()
      .all(runId) as (string | null)[];
    if (raw.length !== run.customers.ids.length)
      throw new Error(`insight run ${runId} changed while it was read`);
    const values: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(raw.length);
    raw.forEach((v, i) => {
      if (v === null) {
        codes[i] = -1;
        return;
      }
      let code = index.get(v);
      if (code === undefined) {
        code = values.length;
        values.push(v);
        index.set(v, code);
      }
      codes[i] = code;
    });
    coded = { codes, values };
    run.columns.set(column, coded);
  }
  return coded;
}

function keepList(c: Caches, listId: number, list: ListColumns): void {
  c.lists.set(listId, list);
  c.listEntries += list.customerIds.length;
  for (const [id, old] of c.lists) {
    if (c.listEntries <= LIST_ENTRIES || id === listId) break;
    c.lists.delete(id);
    c.listEntries -= old.customerIds.length;
  }
}

/**
 * Keeps the entries of a list just written and committed (by ascending customer id), so it is
 * never read back. Only for a committed list: a rolled-back list's id is handed out again.
 */
export function rememberListColumns(db: StrataDb, listId: number, list: ListColumns): void {
  const c = cachesOf(db);
  if (c.lists.has(listId)) return;
  keepList(c, listId, list);
}

/**
 * A list's entries. Lists only grow (an event-triggered strategy appends to its month's list):
 * pass the list's `summary.listed` and a cached copy of another length is read again.
 */
export function listColumns(db: StrataDb, listId: number, listed?: number): ListColumns {
  const c = cachesOf(db);
  let list = c.lists.get(listId);
  if (list && listed !== undefined && list.customerIds.length !== listed) {
    c.lists.delete(listId);
    c.listEntries -= list.customerIds.length;
    list = undefined;
  }
  if (!list) {
    list = db.sqlite.transaction(() => ({
      customerIds: ints(
        db,
        'SELECT customer_id FROM list_entries WHERE list_id = ? ORDER BY customer_id',
        listId,
      ),
      treatment: Uint8Array.from(
        db.sqlite
          .prepare(
            "SELECT arm = 'treatment' FROM list_entries WHERE list_id = ? ORDER BY customer_id",
          )
          .pluck()
          .all(listId) as number[],
      ),
    }))();
    // Inside a transaction the list may be uncommitted, and a rolled-back list's id is handed
    // out again: keep only what was read outside one.
    if (!db.sqlite.inTransaction) keepList(c, listId, list);
  } else {
    // most recently used last
    c.lists.delete(listId);
    c.lists.set(listId, list);
  }
  return list;
}

/** Every customer's current org unit and RM (-1: none), until the customer data changes. */
export function customerColumns(db: StrataDb): {
  customers: RunCustomers;
  unitIds: Int32Array;
  rmIds: Int32Array;
} {
  const c = cachesOf(db);
  const version = dataVersion(db);
  if (c.units?.version !== version) {
    const read = db.sqlite.transaction(() => ({
      ids: ints(db, 'SELECT id FROM customers INDEXED BY customers_org_unit'),
      units: ints(db, 'SELECT org_unit_id FROM customers INDEXED BY customers_org_unit'),
      rmOwners: ints(
        db,
        'SELECT id FROM customers INDEXED BY customers_rm WHERE rm_id IS NOT NULL',
      ),
      rms: ints(db, 'SELECT rm_id FROM customers INDEXED BY customers_rm WHERE rm_id IS NOT NULL'),
    }))();
    const sorted = read.ids.slice().sort();
    const at = positions(sorted);
    const unitIds = new Int32Array(sorted.length);
    for (let k = 0; k < read.ids.length; k++)
      unitIds[at(read.ids[k] as number)] = read.units[k] as number;
    const rmIds = new Int32Array(sorted.length).fill(-1);
    for (let k = 0; k < read.rmOwners.length; k++)
      rmIds[at(read.rmOwners[k] as number)] = read.rms[k] as number;
    const fresh = { version, customers: { ids: sorted, at }, unitIds, rmIds };
    // Inside a transaction the version may yet be rolled back (and handed out again): use it,
    // keep it only once committed data is read.
    if (db.sqlite.inTransaction) return fresh;
    c.units = fresh;
  }
  return c.units;
}

/**
 * Whether a customer's branch is now in an org unit's subtree (the unit and the units under it),
 * by customer id; null for no org unit (the whole bank: everyone).
 */
export function inSubtree(
  db: StrataDb,
  orgUnitId: number | null | undefined,
): ((customerId: number) => boolean) | null {
  if (orgUnitId == null) return null;
  const units = new Set(
    db.sqlite
      .prepare(
        "SELECT id FROM org_units WHERE path LIKE (SELECT path FROM org_units WHERE id = ?) || '%'",
      )
      .pluck()
      .all(orgUnitId) as number[],
  );
  const { customers, unitIds } = customerColumns(db);
  return (id) => {
    const at = customers.at(id);
    return at >= 0 && units.has(unitIds[at] as number);
  };
}

/**
 * Reads into memory what the strategy map counts over — the latest succeeded insight run's
 * customers, stages and primary segments, every customer's org unit, the lists of active and
 * paused strategies — so the first map after a start or a refresh does not pay for it (1M bank,
 * 2M list entries: about 2 s). The server calls it before it listens and after a refresh.
 */
export function warmColumns(db: StrataDb): { runId: number | null; lists: number; ms: number } {
  const started = performance.now();
  const runId = db.sqlite
    .prepare("SELECT max(id) FROM insight_runs WHERE status = 'succeeded'")
    .pluck()
    .get() as number | null;
  if (runId !== null) {
    runColumn(db, runId, 'stage');
    runColumn(db, runId, 'primary_segment');
  }
  customerColumns(db);
  const lists = db.sqlite
    .prepare(
      "SELECT l.id, json_extract(l.summary, '$.listed') FROM strategies s JOIN strategy_lists l ON l.strategy_id = s.id WHERE s.status IN ('active', 'paused') ORDER BY l.id",
    )
    .raw()
    .all() as [number, number][];
  for (const [id, listed] of lists) listColumns(db, id, listed);
  return { runId, lists: lists.length, ms: performance.now() - started };
}
