#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createDemoBank } from './bank.js';
import { writeBankCsv } from './csv.js';

const usage = `Usage: strata-demo-data csv --out DIR [--seed N] [--retail N] [--corporate N] [--months N] [--last-period YYYY-MM]

Writes a synthetic bank as CSV files (org_units, relationship_managers, customers,
monthly_metrics, events). The same options always give the same files, byte for byte.`;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      retail: { type: 'string' },
      corporate: { type: 'string' },
      months: { type: 'string' },
      'last-period': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'csv' || !values.out) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got ${v}`);
    return n;
  };
  const bank = createDemoBank({
    ...(values.seed !== undefined && { seed: int('seed', values.seed) }),
    ...(values.retail !== undefined && { retail: int('retail', values.retail) }),
    ...(values.corporate !== undefined && { corporate: int('corporate', values.corporate) }),
    ...(values.months !== undefined && { months: int('months', values.months) }),
    ...(values['last-period'] !== undefined && { lastPeriod: values['last-period'] }),
  });
  const started = performance.now();
  const summary = writeBankCsv(bank, values.out, (done, total) => {
    process.stderr.write(
      `\r  customers ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`,
    );
  });
  process.stderr.write('\n');
  for (const [file, rows] of Object.entries(summary.files)) console.log(`${file}: ${rows} rows`);
  console.log(
    `written to ${summary.dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
