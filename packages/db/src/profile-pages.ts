import { deflateRawSync } from 'node:zlib';
import {
  customerExplainer,
  type CustomerProfile,
  type FeatureInput,
  type InsightModel,
  type Period,
} from '@strata/core';
import type { StrataDb } from './types.js';

// A customer profile's body — everything but who the customer is — and its ready-made form
// (see ready-profiles.ts). Loaded by the worker threads too: it needs no more than a connection.

/** One month of a profile's history (for sparklines). */
export interface ProfileMonth {
  readonly period: string;
  readonly aum: number;
  readonly deposits: number;
  readonly productTypes: number;
  readonly activeTxnCount: number;
}

/** The tags a run stored for one customer (codes as text). */
export interface StoredTags {
  readonly stage: string;
  readonly stageReason: string;
  readonly previousStage: string | null;
  readonly valueTier: string | null;
  readonly contributionTier: string | null;
  readonly riskTier: string | null;
  readonly enterpriseSize: string | null;
  readonly rfm: readonly [number, number, number];
  readonly pareto: string | null;
  readonly cluster: number | null;
  readonly primarySegment: string | null;
  readonly segments: readonly string[];
}

/** One of a customer's latest events. */
export interface ProfileEvent {
  readonly type: string;
  readonly occurredOn: string;
  readonly amount: number | null;
}

/** The part of a customer's profile that depends only on the run and the customer data. */
export interface ProfileBody extends CustomerProfile {
  /** What the run stored: equals the recomputed tags unless the data changed since the run. */
  readonly stored: StoredTags | null;
  /** Month-end figures up to the run's month, oldest first. */
  readonly history: readonly ProfileMonth[];
  /** The latest events (newest first, at most `LATEST_EVENTS`). */
  readonly events: readonly ProfileEvent[];
}

/** Events a profile lists. */
export const LATEST_EVENTS = 30;

type Sqlite = StrataDb['sqlite'];

/** The months of customer `i` of `input` up to `period` that have a snapshot, oldest first. */
export function profileHistory(input: FeatureInput, i: number, period: Period): ProfileMonth[] {
  const { monthly, size } = input;
  // every metric is NOT NULL: a month without a snapshot is the only NaN
  return input.periods.flatMap((p, t) => {
    const cell = t * size + i;
    const aum = monthly.aum_avg[cell] as number;
    return p <= period && !Number.isNaN(aum)
      ? [
          {
            period: p,
            aum,
            deposits: monthly.deposits_avg[cell] as number,
            productTypes: monthly.product_types[cell] as number,
            activeTxnCount: monthly.active_txn_count[cell] as number,
          },
        ]
      : [];
  });
}

/** The stored tags of run `runId` for the customers with ids in [first, last]. */
export function storedTagsBetween(
  sqlite: Sqlite,
  runId: number,
  first: number,
  last: number,
): Map<number, StoredTags> {
  const rows = sqlite
    .prepare(
      `SELECT customer_id AS id, stage, stage_reason AS stageReason, previous_stage AS previousStage,
         value_tier AS valueTier, contribution_tier AS contributionTier, risk_tier AS riskTier,
         enterprise_size AS enterpriseSize, rfm_r AS r, rfm_f AS f, rfm_m AS m, pareto, cluster,
         primary_segment AS primarySegment, segments
       FROM insight_customers WHERE run_id = ? AND customer_id BETWEEN ? AND ?`,
    )
    .all(runId, first, last) as (Omit<StoredTags, 'rfm' | 'segments'> & {
    id: number;
    r: number;
    f: number;
    m: number;
    segments: string | null;
  })[];
  return new Map(
    rows.map(({ id, r, f, m, segments, ...row }) => [
      id,
      {
        stage: row.stage,
        stageReason: row.stageReason,
        previousStage: row.previousStage,
        valueTier: row.valueTier,
        contributionTier: row.contributionTier,
        riskTier: row.riskTier,
        enterpriseSize: row.enterpriseSize,
        rfm: [r, f, m],
        pareto: row.pareto,
        cluster: row.cluster,
        primarySegment: row.primarySegment,
        segments: segments ? segments.split(' ').sort() : [],
      },
    ]),
  );
}

/** The latest events (newest first) of the customers with ids in [first, last]. */
export function latestEventsBetween(
  sqlite: Sqlite,
  first: number,
  last: number,
): Map<number, ProfileEvent[]> {
  const rows = sqlite
    .prepare(
      `SELECT customer_id, type, occurred_on, amount FROM events
       WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, occurred_on DESC, id DESC`,
    )
    .raw()
    .all(first, last) as [number, string, string, number | null][];
  const out = new Map<number, ProfileEvent[]>();
  for (const [id, type, occurredOn, amount] of rows) {
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    if (list.length < LATEST_EVENTS) list.push({ type, occurredOn, amount });
  }
  return out;
}

/**
 * The profile bodies of the customers of one input (a chunk of consecutive ids), explained with
 * run `runId`'s model: body `i` on each call.
 */
export function profileBodyMaker(
  sqlite: Sqlite,
  input: FeatureInput,
  runId: number,
  model: InsightModel,
): (i: number) => ProfileBody {
  const first = input.customerIds[0] ?? 0;
  const last = input.customerIds[input.size - 1] ?? -1;
  const stored = storedTagsBetween(sqlite, runId, first, last);
  const events = latestEventsBetween(sqlite, first, last);
  const explain = customerExplainer(input, model);
  return (i) => {
    const id = input.customerIds[i] as number;
    return {
      ...explain(i),
      stored: stored.get(id) ?? null,
      history: profileHistory(input, i, model.period),
      events: events.get(id) ?? [],
    };
  };
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');
let scratch = Buffer.alloc(64 * 1024);

/**
 * A body as JSON in ASCII bytes, every other character escaped (`\uXXXX`): read back with a
 * latin1 copy instead of decoding UTF-8 — ~10 µs a profile of Chinese text. The bytes are
 * valid until the next call.
 */
export function asciiJson(value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (scratch.length < json.length * 6) scratch = Buffer.alloc(json.length * 6);
  const out = scratch;
  let o = 0;
  for (let k = 0; k < json.length; k++) {
    const c = json.charCodeAt(k);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    out[o++] = 0x5c; // \
    out[o++] = 0x75; // u
    out[o++] = HEX[(c >> 12) & 15] as number;
    out[o++] = HEX[(c >> 8) & 15] as number;
    out[o++] = HEX[(c >> 4) & 15] as number;
    out[o++] = HEX[c & 15] as number;
  }
  return out.subarray(0, o);
}

/** Customers' profile bodies, deflated: body k is `bytes[ends[k-1] .. ends[k])`. */
export interface ProfilePages {
  readonly ids: Int32Array;
  readonly ends: Uint32Array;
  readonly bytes: Uint8Array;
}

const LEVEL = 1;
/** Bytes of typical bodies given to deflate as its dictionary. */
const DICTIONARY_BYTES = 8 * 1024;

/**
 * Every customer of `input` explained with run `runId`'s model, deflated with `dictionary`; each
 * page names the making (`token`), so that only the pages of the set's own making are read.
 */
export function encodeProfilePages(
  sqlite: Sqlite,
  input: FeatureInput,
  runId: number,
  model: InsightModel,
  dictionary: Uint8Array,
  token: string,
): ProfilePages {
  const bodyOf = profileBodyMaker(sqlite, input, runId, model);
  const parts: Buffer[] = [];
  const ends = new Uint32Array(input.size);
  let end = 0;
  for (let i = 0; i < input.size; i++) {
    const page = deflateRawSync(asciiJson({ ...bodyOf(i), token }), { level: LEVEL, dictionary });
    parts.push(page);
    end += page.length;
    ends[i] = end;
  }
  return { ids: Int32Array.from(input.customerIds), ends, bytes: Buffer.concat(parts, end) };
}

/** The deflate dictionary of a set: the bodies of a spread of customers of its first chunk. */
export function profileDictionary(
  sqlite: Sqlite,
  input: FeatureInput,
  runId: number,
  model: InsightModel,
): Buffer {
  const bodyOf = profileBodyMaker(sqlite, input, runId, model);
  const step = Math.max(1, Math.floor(input.size / 64));
  const bodies: Buffer[] = [];
  for (let i = 0; i < input.size; i += step) bodies.push(Buffer.from(asciiJson(bodyOf(i))));
  const all = Buffer.concat(bodies);
  // deflate looks back from the end of the dictionary first: the most typical text goes last
  return Buffer.from(all.subarray(Math.max(0, all.length - DICTIONARY_BYTES)));
}
