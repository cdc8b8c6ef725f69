import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { InsightModel, Period } from '@strata/core';
import { loadFeatureInputs, loadPeriods } from './features.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { canTagInParallel, parallelProfilePages } from './insight-parallel.js';
import { currentBlocks, dataVersion, decodeBlock } from './metric-blocks.js';
import {
  profileDictionary,
  encodeProfilePages,
  type ProfileBody,
  type ProfilePages,
} from './profile-pages.js';
import type { StrataDb } from './types.js';

/** Options for `makeReadyProfiles`. */
export interface ReadyProfilesOptions {
  /** The run to explain. @default the latest succeeded run */
  readonly runId?: number;
  /** Worker threads (a SQLite file with current metric blocks only). @default available parallelism */
  readonly threads?: number;
  readonly now?: () => Date;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What making the ready profiles did. */
export interface ReadyProfilesResult {
  readonly runId: number;
  readonly customers: number;
  /** Deflated bytes of all bodies. */
  readonly bytes: number;
  readonly ms: number;
}

/**
 * Makes every customer's profile body ahead of time for a run (its tags with their why, the
 * headline figures, the history), deflated, so `getCustomerProfile` reads one row instead of
 * reading the customer's snapshots and explaining them: a large bank's profile page, and the
 * portal widget over it, under load. The previous set is dropped first (profiles are
 * explained live meanwhile); blocks are written as they come, each in its own transaction,
 * so writers are never held up for long; the set's header, written last, records the data
 * version read — a profile is served from the set only while that version is current. A
 * making marks itself under way (`readyProfilesUnderWay`, for the server not to start a second);
 * should two overlap all the same, each page names its making and only the pages of the
 * header's making are read.
 */
export function makeReadyProfiles(
  db: StrataDb,
  options: ReadyProfilesOptions = {},
): ReadyProfilesResult {
  const started = performance.now();
  const run =
    options.runId === undefined ? getLatestInsightRun(db) : latestOfItsMonth(db, options.runId);
  if (!run) throw new RangeError('No succeeded insight run: refresh first');
  const total = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  const token = randomUUID();
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM insight_profile_sets').run();
    db.sqlite.prepare('DELETE FROM insight_profiles').run();
    setMaking(db, `${token} ${Date.now()}`);
  })();
  try {
    return make(db, run, token, total, started, options);
  } finally {
    try {
      db.sqlite.transaction(() => {
        if (readyProfilesUnderWay(db)?.token === token) setMaking(db, null);
      })();
    } catch {
      // (the marker lapses after 30 minutes by itself)
    }
  }
}

function make(
  db: StrataDb,
  run: { readonly id: number; readonly model: InsightModel },
  token: string,
  total: number,
  started: number,
  options: ReadyProfilesOptions,
): ReadyProfilesResult {
  const { model } = run;
  const now = options.now ?? (() => new Date());
  const version = dataVersion(db);
  const blocks = currentBlocks(db, loadPeriods(db));
  const threads = options.threads ?? availableParallelism();
  let chunks: Iterable<ProfilePages>;
  // typical bodies of the first chunk; empty for a bank without customers
  let dictionary: Buffer = Buffer.alloc(0);
  if (blocks && blocks[0] && threads > 0 && canTagInParallel(db)) {
    const first = decodeBlock(db, blocks[0].firstId, model.period);
    dictionary = profileDictionary(db.sqlite, first, run.id, model);
    chunks = parallelProfilePages(db, blocks, version, run.id, model, dictionary, token, threads);
  } else {
    chunks = (function* () {
      let k = 0;
      for (const input of loadFeatureInputs(db, model.period)) {
        if (k++ === 0) dictionary = profileDictionary(db.sqlite, input, run.id, model);
        yield encodeProfilePages(db.sqlite, input, run.id, model, dictionary, token);
      }
    })();
  }
  let customers = 0;
  let bytes = 0;
  options.onProgress?.(0, total);
  for (const pages of chunks) {
    db.sqlite.transaction(() => writePages(db, pages))();
    customers += pages.ids.length;
    bytes += pages.bytes.length;
    options.onProgress?.(customers, total);
  }
  const ms = Math.round(performance.now() - started);
  db.sqlite
    .prepare(
      'INSERT INTO insight_profile_sets (run_id, data_version, dictionary, customers, bytes, ms, made_at, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(run.id, version, dictionary, customers, bytes, ms, now().toISOString(), token);
  return { runId: run.id, customers, bytes, ms };
}

/** How long a making is taken to be under way without finishing (a crashed one is not). */
const MAKING_FOR_MS = 30 * 60_000;

function setMaking(db: StrataDb, value: string | null): void {
  if (value === null)
    db.sqlite.prepare("DELETE FROM meta WHERE key = 'ready_profiles_making'").run();
  else
    db.sqlite
      .prepare(
        "INSERT INTO meta (key, value) VALUES ('ready_profiles_making', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(value);
}

/** The making under way (by any process), if one started less than 30 minutes ago. */
export function readyProfilesUnderWay(
  db: StrataDb,
): { token: string; startedAt: number } | undefined {
  const value = db.sqlite
    .prepare("SELECT value FROM meta WHERE key = 'ready_profiles_making'")
    .pluck()
    .get() as string | undefined;
  if (!value) return undefined;
  const [token = '', at = '0'] = value.split(' ');
  const startedAt = Number(at);
  return Date.now() - startedAt < MAKING_FOR_MS ? { token, startedAt } : undefined;
}

/** Run `runId` if it is the latest succeeded run of its month (the one profiles read), else refused. */
function latestOfItsMonth(db: StrataDb, runId: number) {
  const period = db.sqlite
    .prepare("SELECT period FROM insight_runs WHERE id = ? AND status = 'succeeded'")
    .pluck()
    .get(runId) as Period | undefined;
  const run = period === undefined ? undefined : getLatestInsightRun(db, period);
  if (!run || run.id !== runId)
    throw new RangeError(
      `Run ${runId} is not the latest succeeded run of its month: profiles are read with that one`,
    );
  return run;
}

const ROWS_PER_INSERT = 128;
/** Two makings may overlap (a CLI refresh while the server makes them): the later page stays. */
const REPLACE = 'ON CONFLICT (customer_id) DO UPDATE SET body = excluded.body';
const placeholders = (rows: number) => Array.from({ length: rows }, () => '(?, ?)').join(', ');

function writePages(db: StrataDb, { ids, ends, bytes }: ProfilePages): void {
  const many = db.sqlite.prepare(
    `INSERT INTO insight_profiles (customer_id, body) VALUES ${placeholders(ROWS_PER_INSERT)} ${REPLACE}`,
  );
  const one = db.sqlite.prepare(
    `INSERT INTO insight_profiles (customer_id, body) VALUES (?, ?) ${REPLACE}`,
  );
  const start = (k: number) => (k === 0 ? 0 : (ends[k - 1] as number));
  const page = (k: number) =>
    Buffer.from(bytes.buffer, bytes.byteOffset + start(k), (ends[k] as number) - start(k));
  let k = 0;
  const batch: unknown[] = [];
  for (; k + ROWS_PER_INSERT <= ids.length; k += ROWS_PER_INSERT) {
    batch.length = 0;
    for (let j = k; j < k + ROWS_PER_INSERT; j++) batch.push(ids[j], page(j));
    many.run(...batch);
  }
  for (; k < ids.length; k++) one.run(ids[k], page(k));
}

/**
 * After a write that changed one customer's data and nothing else (a MOT event) and moved the
 * data version from `before` to `after`, in the same transaction: that customer's ready profile
 * is dropped (explained live from now on) and the others stay current. Any other write — an
 * import — leaves the set behind, so every profile is explained live until the next refresh.
 */
export function forgetReadyProfile(
  db: StrataDb,
  customerId: number,
  before: number,
  after: number,
): void {
  db.sqlite.prepare('DELETE FROM insight_profiles WHERE customer_id = ?').run(customerId);
  db.sqlite
    .prepare('UPDATE insight_profile_sets SET data_version = ? WHERE data_version = ?')
    .run(after, before);
}

/** The set's dictionary, per database, while the same set is current. */
const setsKept = new WeakMap<StrataDb, { key: string; dictionary: Buffer }>();

/**
 * Customer `customerId`'s ready profile body for run `runId`, if the ready profiles are of that
 * run and the customer data has not changed since they were made; else undefined (explain it
 * live).
 */
export function readyProfile(
  db: StrataDb,
  runId: number,
  customerId: number,
): ProfileBody | undefined {
  const row = db.sqlite
    .prepare(
      `SELECT p.body AS page, s.data_version AS version, s.token AS token,
         (SELECT value FROM meta WHERE key = 'data_version') AS current
       FROM insight_profile_sets s JOIN insight_profiles p ON p.customer_id = ?
       WHERE s.run_id = ?`,
    )
    .get(customerId, runId) as
    { page: Buffer; version: number; token: string; current: string | null } | undefined;
  if (!row || Number(row.current ?? 0) !== Number(row.version)) return undefined;
  const key = `${runId}\u0000${row.token}`;
  let set = setsKept.get(db);
  if (set?.key !== key) {
    const dictionary = db.sqlite
      .prepare('SELECT dictionary FROM insight_profile_sets WHERE run_id = ?')
      .pluck()
      .get(runId) as Buffer | undefined;
    if (!dictionary) return undefined;
    set = { key, dictionary: Buffer.from(dictionary) };
    setsKept.set(db, set);
  }
  // ASCII (see `asciiJson`): latin1 is a copy, not a decoding
  const text = inflateRawSync(row.page, { dictionary: set.dictionary }).toString('latin1');
  const { token, ...body } = JSON.parse(text) as ProfileBody & { token: string };
  // a page left by another making (two overlapped) is not this set's
  return body.customerId === customerId && token === row.token ? body : undefined;
}
