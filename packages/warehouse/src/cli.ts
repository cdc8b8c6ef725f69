import { parseArgs } from 'node:util';
import { openDatabase, type StrataDb } from '@strata/db';
import { openClickHouse } from './clickhouse.js';
import { openDuckDb } from './duckdb.js';
import { openPostgres } from './postgres.js';
import type { Warehouse } from './pushdown.js';
import { pushdownRefresh } from './refresh.js';

const usage = `Usage: strata-warehouse <command> TARGET [options]

Commands:
  load       copy Strata's customers (no personal data), monthly metrics and events into the
             warehouse, replacing what it held
  refresh [--period YYYY-MM] [--load]
             the insight refresh in pushdown mode: the warehouse evaluates lifecycle stages,
             value and risk tiers and every rule segment as SQL; the memberships come back and
             are stored as an insight run (no RFM, Pareto classes or clusters: those need every
             customer in memory — use \`strata refresh\` for them)

TARGET (one of):
  --duckdb FILE [--memory-limit SIZE]
                                   an embedded DuckDB file (SIZE e.g. 1GB: DuckDB spills
                                   past it; its default is 80 % of the machine's memory)
  --postgres URL                   postgres://user@host:port/database
  --clickhouse URL[,URL…] --cluster NAME
                                   a ClickHouse cluster over HTTP, one URL per shard

Options:
  --db FILE    Strata's database: a SQLite file or a postgres:// URL
               (default: $STRATA_DB or data/strata.db)
  -h, --help   this text`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function open(values: {
  duckdb?: string | undefined;
  postgres?: string | undefined;
  clickhouse?: string | undefined;
  cluster?: string | undefined;
  'memory-limit'?: string | undefined;
}): Promise<Warehouse & { loadFrom(db: StrataDb): Promise<Record<string, number>> }> {
  const given = [values.duckdb, values.postgres, values.clickhouse].filter((v) => v !== undefined);
  if (given.length !== 1)
    fail('Name one warehouse: --duckdb FILE, --postgres URL or --clickhouse URLS.\n\n' + usage);
  if (values.duckdb !== undefined)
    return openDuckDb(values.duckdb, {
      ...(values['memory-limit'] !== undefined && { memoryLimit: values['memory-limit'] }),
    });
  if (values.postgres !== undefined) return openPostgres(values.postgres);
  if (!values.cluster)
    fail('--clickhouse needs --cluster NAME (the cluster in the servers’ remote_servers).');
  const shards = (values.clickhouse as string)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const shard of shards)
    if (!/^https?:\/\//.test(shard)) fail(`--clickhouse: ${shard} is not an http(s) URL.`);
  return openClickHouse({ shards, cluster: values.cluster });
}

/** A connection string fit to print: any password replaced. */
function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/g, '//$1:***@');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      duckdb: { type: 'string' },
      postgres: { type: 'string' },
      clickhouse: { type: 'string' },
      cluster: { type: 'string' },
      'memory-limit': { type: 'string' },
      period: { type: 'string' },
      load: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  if (command !== 'load' && command !== 'refresh') fail(`Unknown command ${command}.\n\n${usage}`);
  if (values.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period))
    fail(`--period ${values.period}: expected YYYY-MM.`);
  const db = openDatabase(values.db ?? process.env.STRATA_DB ?? 'data/strata.db');
  let warehouse: Awaited<ReturnType<typeof open>>;
  try {
    warehouse = await open(values);
  } catch (error) {
    db.close();
    const where = values.duckdb ?? withoutPassword(values.postgres ?? values.clickhouse ?? '');
    throw new Error(
      `Could not open the warehouse at ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    if (command === 'load' || values.load) {
      const started = performance.now();
      process.stderr.write(`  load into ${warehouse.name} …`);
      const counts = await warehouse.loadFrom(db);
      process.stderr.write(
        ` ${Object.entries(counts)
          .map(([table, rows]) => `${table} ${rows.toLocaleString('en')}`)
          .join(', ')} in ${seconds(performance.now() - started)}\n`,
      );
    }
    if (command === 'refresh') {
      let stepStarted = performance.now();
      const result = await pushdownRefresh(db, warehouse, {
        ...(values.period !== undefined && { period: values.period }),
        onStep: (step) => {
          if (step === 'store')
            process.stderr.write(` done in ${seconds(performance.now() - stepStarted)}\n`);
          stepStarted = performance.now();
          process.stderr.write(
            step === 'pushdown' ? `  ${warehouse.name} runs the tags SQL …` : '  store …',
          );
        },
      });
      process.stderr.write(` done in ${seconds(performance.now() - stepStarted)}\n`);
      console.log(
        `insight run ${result.runId} (${result.period}, pushed down to ${result.warehouse}): ${result.customers.toLocaleString('en')} customers; ${Object.entries(
          result.timings,
        )
          .map(([k, v]) => `${k} ${v} ms`)
          .join(
            ', ',
          )}${result.bytes !== null ? `; ${(result.bytes / 1e6).toFixed(1)} MB back` : ''}`,
      );
    }
  } finally {
    await warehouse.close();
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
