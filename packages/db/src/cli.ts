#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { openDatabase } from './client.js';
import { runLifecycleRefresh } from './lifecycle-refresh.js';
import { seedDemoBank } from './seed/index.js';

const usage = `Usage:
  strata-db migrate --db FILE
  strata-db seed    --db FILE [--seed N] [--retail N] [--corporate N]
  strata-db refresh --db FILE`;

function bar(label: string, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(
    `\r  ${label.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((done / Math.max(total, 1)) * 100)}%`,
  );
  if (done >= total) process.stderr.write('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      seed: { type: 'string' },
      retail: { type: 'string' },
      corporate: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !values.db || !['migrate', 'seed', 'refresh'].includes(command ?? '')) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const db = openDatabase(values.db);
  try {
    if (command === 'seed') {
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      const options = Object.fromEntries(
        Object.entries({
          seed: num(values.seed),
          retail: num(values.retail),
          corporate: num(values.corporate),
        }).filter(([, v]) => v !== undefined),
      );
      const result = seedDemoBank(db, options, bar);
      console.log(
        `seeded ${result.customers} customers, ${result.metrics} monthly rows, ${result.events} events in ${(result.insertMs / 1000).toFixed(1)} s; lifecycle run ${result.lifecycle.runId} in ${Object.values(result.lifecycle.timings).reduce((a, b) => a + b, 0)} ms`,
      );
    } else if (command === 'refresh') {
      const result = runLifecycleRefresh(db, { onProgress: bar });
      console.log(
        `lifecycle run ${result.runId}: ${result.customers} customers × ${result.periods.length} months`,
        result.timings,
      );
    } else console.log(`migrated ${values.db}`);
  } finally {
    db.close();
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
