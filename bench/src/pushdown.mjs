// The warehouse pushdown on the benchmark bank: the per-customer part of the refresh (lifecycle,
// value tiers with hysteresis, risk tiers, rule segments) in memory against the same work pushed
// down as SQL to DuckDB, a two-shard ClickHouse and PostgreSQL, on the same data in the same run.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { DEFAULT_INSIGHT_CONFIG, LIFECYCLE_STAGES, NOT_LINKED, tagChunk } from '@strata/core';
import { loadFeatureInputs } from '@strata/db';
import {
  openClickHouse,
  openDuckDb,
  openPostgres,
  runPushdown,
  startClickHouse,
  startPostgres,
} from '@strata/warehouse';

const config = DEFAULT_INSIGHT_CONFIG;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The in-memory engine: read the chunks from Strata's storage, tag each; stage counts. */
function inMemory(db, asOf) {
  const started = performance.now();
  let tagMs = 0;
  const counts = Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0]));
  for (const input of loadFeatureInputs(db, asOf)) {
    const t0 = performance.now();
    const tags = tagChunk(input, config);
    tagMs += performance.now() - t0;
    for (const s of tags.stage) if (s !== NOT_LINKED) counts[LIFECYCLE_STAGES[s]]++;
  }
  return { ms: performance.now() - started, tagMs, counts };
}

/** The bank copied into a DuckDB file once (kept in bench/.cache; a partial copy never counts). */
export async function ensureDuckCopy(db, duckFile) {
  if (existsSync(duckFile)) return;
  console.log('  copying the bank into DuckDB (once)');
  const partial = `${duckFile}.partial`;
  rmSync(partial, { force: true });
  const w = await openDuckDb(partial);
  await w.loadFrom(db);
  await w.close();
  renameSync(partial, duckFile);
}

const same = (a, b) => LIFECYCLE_STAGES.every((s) => a[s] === b[s]);

export async function pushdownBench(report, { db, sqliteFile, periods, asOf, label }) {
  const name = `pushdown ${label}×${periods.length} months`;
  console.log(
    `\n${name} (lifecycle, tiers with hysteresis, risk tiers, ${config.segments.length} segments)`,
  );
  const runs = [inMemory(db, asOf), inMemory(db, asOf), inMemory(db, asOf)];
  const ours = { ms: median(runs.map((r) => r.ms)), tagMs: median(runs.map((r) => r.tagMs)) };
  const counts = runs[0].counts;
  console.log(
    `  in memory: ${ours.ms.toFixed(0)} ms (of which tagging ${ours.tagMs.toFixed(0)} ms)`,
  );

  async function target(peer, open, repeats) {
    const loadStarted = performance.now();
    const wh = await open();
    const loadMs = performance.now() - loadStarted;
    const times = [];
    let last;
    for (let r = 0; r < repeats; r++) {
      last = await runPushdown(wh, config, { asOf, periods });
      times.push(last.ms);
    }
    await wh.close();
    const agree = same(last.stageCounts, counts);
    if (!agree) console.log(`  WARNING: ${peer} disagrees with the in-memory stage counts`);
    const note = `load ${(loadMs / 1000).toFixed(0)} s; ${last.tags.customerIds.length.toLocaleString('en')} customers back${
      last.bytes === null ? '' : `, ${(last.bytes / 1e6).toFixed(1)} MB`
    }; stage counts ${agree ? 'equal' : 'DIFFER'}; SQL ${last.sqlChars.toLocaleString('en')} chars`;
    report(`${name}, in memory vs ${peer}`, 'ms', ours.ms, peer, median(times), note);
    return last;
  }

  // DuckDB: a file built once from the bank (kept in bench/.cache).
  const duckFile = sqliteFile.replace(/\.sqlite$/, '.pushdown.duckdb');
  await target(
    'DuckDB pushdown (@duckdb/node-api, 2 threads)',
    async () => {
      await ensureDuckCopy(db, duckFile);
      return openDuckDb(duckFile, { threads: 2 });
    },
    3,
  );

  // ClickHouse: two shards on loopback, loaded through the Distributed tables.
  const ch = await startClickHouse(2);
  try {
    const result = await target(
      'ClickHouse pushdown (2 shards, Distributed tables)',
      async () => {
        const w = openClickHouse({ shards: ch.shards, cluster: ch.cluster });
        await w.loadFrom(db);
        return w;
      },
      3,
    );
    report(
      `${name}, bytes ClickHouse returns`,
      'MB',
      result.bytes / 1e6,
      'the memberships as raw bytes (4-byte id + 1 byte per tag)',
      (result.tags.customerIds.length * (4 + 6 + config.segments.length)) / 1e6,
    );
  } finally {
    await ch.stop();
  }

  // PostgreSQL on loopback.
  const pg = await startPostgres();
  try {
    await target(
      'PostgreSQL pushdown (loopback)',
      async () => {
        const w = await openPostgres(pg.url);
        await w.loadFrom(db);
        return w;
      },
      1,
    );
  } finally {
    await pg.stop();
  }
}
