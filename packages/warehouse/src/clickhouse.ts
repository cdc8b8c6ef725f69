import { clickhouse } from '@strata/core';
import type { StrataDb } from '@strata/db';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Warehouse } from './pushdown.js';
import { exportTableCsv, WAREHOUSE_TABLES, type ColumnKind } from './tables.js';

const TYPES: Record<ColumnKind, string> = {
  int: 'Int64',
  double: 'Float64',
  text: 'String',
  date: 'Date',
  bool: 'UInt8',
};
const KEYS: Record<string, string> = {
  customers: 'id',
  monthly_metrics: 'customer_id',
  events: 'customer_id',
};

/** Where a ClickHouse cluster answers. */
export interface ClickHouseOptions {
  /** Each shard's HTTP address (e.g. `http://127.0.0.1:8123`); queries go to the first. */
  readonly shards: readonly string[];
  /** The cluster's name in the servers' `remote_servers`. */
  readonly cluster: string;
  readonly database?: string;
}

/**
 * A ClickHouse cluster over HTTP: `customers`, `monthly_metrics` and `events` are
 * `Distributed` tables over `<table>_local` MergeTree tables on every shard, all sharded by
 * customer id, so the pushdown's join runs on each shard over its own customers
 * (`distributed_product_mode = 'local'`) and only the result crosses to Node.
 */
export function openClickHouse(
  options: ClickHouseOptions,
): Warehouse & { loadFrom(db: StrataDb): Promise<Record<string, number>> } {
  const database = options.database ?? 'default';
  const send = async (
    shard: string,
    sql: string,
    settings: Record<string, string> = {},
    body?: ReadableStream,
  ): Promise<string> => {
    const url = new URL(shard);
    url.searchParams.set('database', database);
    for (const [k, v] of Object.entries(settings)) url.searchParams.set(k, v);
    const response = body
      ? (url.searchParams.set('query', sql),
        await fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit))
      : await fetch(url, { method: 'POST', body: sql });
    const text = await response.text();
    if (!response.ok) throw new Error(`ClickHouse (${shard}): ${text.trim().slice(0, 500)}`);
    return text;
  };
  const first = options.shards[0];
  if (first === undefined) throw new RangeError('A ClickHouse cluster needs at least one shard');
  return {
    name: `clickhouse (${options.shards.length} shards)`,
    dialect: clickhouse,
    async query(sql, params) {
      if (params.length > 0) throw new Error('ClickHouse queries carry their values inline');
      const text = await send(first, `${sql} FORMAT TabSeparated`, {
        distributed_product_mode: 'local',
      });
      const rows = text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => line.split('\t').map(Number));
      return { rows, bytes: Buffer.byteLength(text) };
    },
    async close() {},
    /**
     * Creates the local tables on every shard and the Distributed tables over them (replacing
     * both), then inserts Strata's tables through the Distributed tables, synchronously.
     */
    async loadFrom(db) {
      const dir = mkdtempSync(join(tmpdir(), 'strata-clickhouse-'));
      const counts: Record<string, number> = {};
      try {
        for (const table of WAREHOUSE_TABLES) {
          const { file, rows, columns } = exportTableCsv(db, table, dir);
          const ddl = columns
            .map((c) => `${c.name} ${c.nullable ? `Nullable(${TYPES[c.kind]})` : TYPES[c.kind]}`)
            .join(', ');
          const key = KEYS[table] as string;
          for (const shard of options.shards) {
            await send(shard, `DROP TABLE IF EXISTS ${table}`);
            await send(shard, `DROP TABLE IF EXISTS ${table}_local`);
            await send(
              shard,
              `CREATE TABLE ${table}_local (${ddl}) ENGINE = MergeTree ORDER BY ${key}`,
            );
            await send(
              shard,
              `CREATE TABLE ${table} AS ${table}_local ENGINE = Distributed(${options.cluster}, ${database}, ${table}_local, ${key})`,
            );
          }
          await send(
            first,
            `INSERT INTO ${table} FORMAT CSV`,
            { insert_distributed_sync: '1' },
            Readable.toWeb(createReadStream(file)) as ReadableStream,
          );
          counts[table] = rows;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return counts;
    },
  };
}
