import {
  compileTagsSql,
  LIFECYCLE_STAGES,
  NOT_LINKED,
  type ComputedTags,
  type Period,
  type PushdownConfig,
  type SqlDialect,
} from '@strata/core';

/** A database the pushdown runs in. */
export interface Warehouse {
  /** e.g. `duckdb`, `postgres`, `clickhouse (2 shards)`. */
  readonly name: string;
  readonly dialect: SqlDialect;
  /**
   * Runs a query and returns its rows as arrays of numbers (every column the pushdown reads
   * back is numeric; NULL as NaN), with the bytes that crossed from the database to Node where the
   * protocol tells (ClickHouse's HTTP body), else null.
   */
  query(
    sql: string,
    params: readonly unknown[],
  ): Promise<{ rows: number[][]; bytes: number | null }>;
  close(): Promise<void>;
}

/**
 * The per-customer results of a pushdown, in columns, ordered by customer id: core's
 * `ComputedTags` with the memberships by segment key (1 for a member).
 */
export interface PushdownTags extends Omit<ComputedTags, 'members'> {
  readonly members: ReadonlyMap<string, Uint8Array>;
}

/** What a pushdown refresh returns. */
export interface PushdownResult {
  readonly warehouse: string;
  readonly asOf: Period;
  readonly tags: PushdownTags;
  /** Customers per lifecycle stage in the as-of month (known customers only). */
  readonly stageCounts: Readonly<Record<string, number>>;
  /** Members per segment key. */
  readonly segmentCounts: Readonly<Record<string, number>>;
  /** Bytes the database sent back, where the protocol tells. */
  readonly bytes: number | null;
  readonly ms: number;
  /** The SQL's length in characters (it is generated: one CASE per month and rule). */
  readonly sqlChars: number;
}

/**
 * Runs the per-customer part of an insight refresh in a warehouse: the lifecycle stage (and the
 * month before), the retail and corporate value tiers with hysteresis, the risk tier and every
 * rule segment, compiled by `compileTagsSql` to the warehouse's dialect. Only memberships (one
 * row of small codes per customer) come back; the counts are computed from them.
 *
 * @example
 * const wh = await openDuckDb('bank.duckdb');
 * const result = await runPushdown(wh, DEFAULT_INSIGHT_CONFIG, { asOf: '2026-10', periods });
 * result.stageCounts.dormant; // customers dormant in October
 */
export async function runPushdown(
  warehouse: Warehouse,
  config: PushdownConfig,
  options: { readonly asOf: Period; readonly periods: readonly Period[] },
): Promise<PushdownResult> {
  const started = performance.now();
  const query = compileTagsSql(config, { ...options, dialect: warehouse.dialect });
  const { rows, bytes } = await warehouse.query(query.sql, query.params);
  const n = rows.length;
  const tags = {
    customerIds: new Int32Array(n),
    stage: new Uint8Array(n),
    stageReason: new Uint8Array(n),
    previousStage: new Uint8Array(n),
    aumTier: new Uint8Array(n),
    corporateTier: new Uint8Array(n),
    riskTier: new Uint8Array(n),
    value: new Float64Array(n),
    members: new Map(query.segments.map((key) => [key, new Uint8Array(n)])),
  };
  const memberColumns = [...tags.members.values()];
  const stageCounts: Record<string, number> = Object.fromEntries(
    LIFECYCLE_STAGES.map((s) => [s, 0]),
  );
  const segmentCounts: Record<string, number> = Object.fromEntries(
    query.segments.map((s) => [s, 0]),
  );
  rows.forEach((row, i) => {
    const [id, placed, previous, aum, corporate, risk, value] = row as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    tags.customerIds[i] = id;
    tags.stage[i] = placed === NOT_LINKED ? NOT_LINKED : placed & 15;
    tags.stageReason[i] = placed === NOT_LINKED ? NOT_LINKED : placed >> 4;
    tags.previousStage[i] = previous === NOT_LINKED ? NOT_LINKED : previous & 15;
    tags.aumTier[i] = aum;
    tags.corporateTier[i] = corporate;
    tags.riskTier[i] = risk;
    tags.value[i] = value;
    if (placed !== NOT_LINKED) {
      const stage = LIFECYCLE_STAGES[placed & 15] as string;
      stageCounts[stage] = (stageCounts[stage] ?? 0) + 1;
    }
    memberColumns.forEach((column, k) => {
      const member = ((row[7 + Math.floor(k / 30)] as number) >> (k % 30)) & 1;
      column[i] = member;
      if (member) {
        const key = query.segments[k] as string;
        segmentCounts[key] = (segmentCounts[key] ?? 0) + 1;
      }
    });
  });
  return {
    warehouse: warehouse.name,
    asOf: options.asOf,
    tags,
    stageCounts,
    segmentCounts,
    bytes,
    ms: performance.now() - started,
    sqlChars: query.sql.length,
  };
}
