// One whole insight refresh of the benchmark bank, alone in a process so its peak memory is its
// own. The run is deleted afterwards so the cached bank does not grow from run to run.
import { openDatabase, runInsightRefresh } from '@strata/db';

const db = openDatabase(process.argv[2]);
const started = performance.now();
const result = runInsightRefresh(db, {});
const wallMs = performance.now() - started;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
db.sqlite.transaction(() => {
  for (const table of ['insight_agg', 'insight_members', 'insight_customers'])
    db.sqlite.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(result.runId);
  db.sqlite.prepare('DELETE FROM insight_runs WHERE id = ?').run(result.runId);
})();
db.close();
process.stdout.write(
  `${JSON.stringify({ wallMs, maxRssMb, timings: result.timings, customers: result.customers })}\n`,
);
