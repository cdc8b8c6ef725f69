import { clickhouse } from '@strata/core';
import type { StrataDb } from '@strata/db';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const address = (shard: string, settings: Record<string, string>) => {
    const url = new URL(shard);
    url.searchParams.set('database', database);
    for (const [k, v] of Object.entries(settings)) url.searchParams.set(k, v);
    return url;
  };
  /**
   * One POST, on a connection of its own (ClickHouse closes idle keep-alive connections after
   * 3 s, and a reused one fails with EPIPE), with a Content-Length, never chunked (ClickHouse
   * 18's HTTP server drops a long chunked upload). The body is the SQL, or a file's data for an
   * INSERT whose SQL is then in the query string.
   */
  const post = (shard: string, settings: Record<string, string>, body: string | { file: string }) =>
    new Promise<string>((resolve, reject) => {
      const length = typeof body === 'string' ? Buffer.byteLength(body) : statSync(body.file).size;
      const req = request(
        address(shard, settings),
        { method: 'POST', agent: false, headers: { 'content-length': length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) resolve(text);
            else reject(new Error(`ClickHouse (${shard}): ${text.trim().slice(0, 500)}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (typeof body === 'string') req.end(body);
      else createReadStream(body.file).on('error', reject).pipe(req);
    });
  const send = (shard: string, sql: string, settings: Record<string, string> = {}) =>
    post(shard, settings, sql);
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
          await post(
            first,
            { query: `INSERT INTO ${table} FORMAT CSV`, insert_distributed_sync: '1' },
            { file },
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
