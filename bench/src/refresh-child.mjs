// One whole insight refresh of the benchmark bank, alone in a process so its peak memory is its
// own: in memory (`runInsightRefresh`), or, given a DuckDB file, pushed down to it
// (`pushdownRefresh`: the tags computed by DuckDB, the run stored in SQLite; the DuckDB copy of
// the bank is built first if missing, untimed). The run is deleted afterwards so the cached bank
// does not grow from run to run.
// Usage: node refresh-child.mjs <bank.sqlite> [<bank.duckdb>]
import { readFileSync } from 'node:fs';
import { openDatabase, runInsightRefresh } from '@strata/db';
import { openDuckDb, pushdownRefresh } from '@strata/warehouse';
import { ensureDuckCopy } from './pushdown.mjs';

const [sqliteFile, duckFile] = process.argv.slice(2);
const db = openDatabase(sqliteFile);
let duck = null;
if (duckFile) {
  await ensureDuckCopy(db, duckFile);
  duck = await openDuckDb(duckFile, { threads: 2, memoryLimit: '1GB' });
}
const started = performance.now();
const result = duck ? await pushdownRefresh(db, duck) : runInsightRefresh(db, {});
const wallMs = performance.now() - started;
await duck?.close();
// VmHWM: this process's own peak. (getrusage's maxRSS survives exec on Linux, so a child
// forked from a big parent would report the parent's size.)
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const maxRssMb = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
db.sqlite.transaction(() => {
  for (const table of ['insight_agg', 'insight_segment_members', 'insight_customers'])
    db.sqlite.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(result.runId);
  db.sqlite.prepare('DELETE FROM insight_runs WHERE id = ?').run(result.runId);
})();
db.close();
process.stdout.write(
  `${JSON.stringify({ wallMs, maxRssMb, timings: result.timings, customers: result.customers })}\n`,
);
