#!/usr/bin/env node
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  failInterruptedImports,
  failInterruptedRuns,
  getLatestInsightRun,
  openDatabase,
  warmColumns,
  runInsightRefresh,
} from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { bundleDir } from '@strata/widgets/bundle-dir';
import { randomBytes } from 'node:crypto';
import { createApp, type Middleware } from './app.js';
import { sweepImportFiles } from './import-runner.js';
import { keepProfilesReady } from './ready-profiles.js';
import { importsDir } from './imports.js';
import { createLogger } from './log.js';
import { publishApiOrigin, readEnv } from './env.js';
import { loadScorers } from './models.js';

let lastShown = -1;
/** A progress bar on a terminal; in a log (no TTY), one line per 10 %. */
function progress(step: string, done: number, total: number): void {
  const pct = Math.round((done / Math.max(total, 1)) * 100);
  if (process.stdout.isTTY) {
    process.stdout.write(
      `\r  ${step.padEnd(9)} ${'#'.repeat(Math.round(pct / 4)).padEnd(25, '.')} ${pct}%`,
    );
    if (done >= total) process.stdout.write('\n');
  } else if (Math.floor(pct / 10) !== lastShown || done >= total) {
    lastShown = done >= total ? -1 : Math.floor(pct / 10);
    console.log(`  ${step} ${pct}%`);
  }
}

async function main(): Promise<void> {
  const env = readEnv();
  const db = openDatabase(env.dbPath);
  const isNew = db.dialect === 'postgres' || env.dbPath === ':memory:' || !existsSync(env.dbPath);
  const customers = db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (customers === 0 && env.demo.enabled) {
    console.log(
      `${isNew ? 'Creating' : 'Filling'} ${db.path} with the demo bank (${env.demo.retail} retail + ${env.demo.corporate} corporate customers)…`,
    );
    const started = performance.now();
    const result = seedDemoBank(
      db,
      { seed: env.demo.seed, retail: env.demo.retail, corporate: env.demo.corporate },
      progress,
    );
    console.log(
      `Seeded ${result.customers} customers, ${result.metrics} monthly snapshots and ${result.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } else if (customers > 0 && !getLatestInsightRun(db)) {
    // A database from before the insight engine (or whose runs all failed): refresh once.
    console.log('No insight run yet: running the first insight refresh…');
    const run = runInsightRefresh(db, {
      // made in the background once the server answers (keepProfilesReady)
      readyProfiles: false,
      onProgress: (s, d, t) => progress(`insight ${s}`, d, t),
    });
    console.log(`Insight run ${run.runId} for ${run.period}: ${run.customers} customers.`);
  }

  // An import or refresh cut off by a crash left nothing behind (one transaction); say so in
  // its run's record.
  const interrupted = failInterruptedImports(db);
  if (interrupted > 0) console.log(`${interrupted} interrupted import(s) marked failed.`);
  const runs = failInterruptedRuns(db);
  if (runs.lifecycle + runs.insight > 0)
    console.log(
      `${runs.lifecycle} interrupted lifecycle and ${runs.insight} insight run(s) marked failed.`,
    );

  // What the strategy map counts over, read before the first request needs it.
  const warm = warmColumns(db);
  if (warm.lists > 0 || warm.ms > 500)
    console.log(
      `Read the latest insight run and ${warm.lists} list(s) into memory in ${(warm.ms / 1000).toFixed(1)} s.`,
    );

  const internalKey = randomBytes(24).toString('base64url');
  const scorers = loadScorers(env.modelsDir);
  if (env.modelsDir)
    console.log(
      `Models: ${scorers
        .list()
        .map((m) => `${m.name}@${m.version}`)
        .join(', ')}`,
    );
  // Uploads and error files an interrupted import left behind.
  const swept = sweepImportFiles(importsDir(db), db);
  if (swept > 0) console.log(`Removed ${swept} file(s) interrupted imports left.`);

  // The dashboard is mounted once the port is known: its server-side loads call the API there.
  const mounted: { dashboard?: Middleware } = {};
  const logger = createLogger(env.logLevel);
  const server = createApp({
    db,
    widgetDir: bundleDir,
    embedOrigins: env.embedOrigins,
    maxBody: env.maxBody,
    maxImportBytes: env.maxImportBytes,
    rateLimit: env.rateLimit,
    internalKey,
    scorers,
    logger,
    dashboard: (req: IncomingMessage, res: ServerResponse, next?: () => void) => {
      if (mounted.dashboard) return mounted.dashboard(req, res, next);
      res.writeHead(503, { 'retry-after': '1' }).end('Starting…');
    },
  });
  await new Promise<void>((done) => server.listen(env.port, env.host, done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.port;
  const loopback = env.host === '0.0.0.0' ? '127.0.0.1' : env.host === '::' ? '[::1]' : env.host;
  publishApiOrigin(`http://${loopback}:${port}`, internalKey);
  mounted.dashboard = (await import('@strata/dashboard/handler')).handler;

  const shown = env.host === '0.0.0.0' || env.host === '127.0.0.1' ? 'localhost' : env.host;
  console.log(
    `\nStrata is running: http://${shown}:${port}/\n  API  http://${shown}:${port}/trpc  ·  widgets http://${shown}:${port}/widgets/strata-widgets.js`,
  );
  // A large bank's profiles, made ahead of time after each refresh or import.
  const stopKeeper = keepProfilesReady(db, { from: env.readyProfilesFrom, logger });
  const stop = () => {
    void stopKeeper();
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
