// Load: the real server on a copy of the benchmark bank, autocannon on loopback. The lifecycle
// funnel, the strategy map, a customer profile and next best actions at 50 and 200 concurrent
// connections, each against the trivial `health` procedure in the same run. Also times the
// strategy map and list generation for the whole bank (goal: under 2 s each).
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createRng } from '@strata/core';
import { createServiceToken, openDatabase } from '@strata/db';
import { cacheDir } from './data.mjs';
import { startStrata } from './widgets.mjs';

const seconds = Number(process.env.STRATA_BENCH_LOAD_SECONDS ?? 60);

export const path = (procedure, input) =>
  `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

/** One autocannon run; latencies recorded per response for exact percentiles. */
export async function cannon(url, token, connections, paths, duration = seconds, headers = {}) {
  const times = [];
  let next = 0;
  const instance = autocannon({
    url,
    connections,
    duration,
    headers: { authorization: `Bearer ${token}`, ...headers },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }),
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  return {
    rps: result.requests.average,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export async function call(url, token, procedure, input, method = 'GET') {
  const response =
    method === 'GET'
      ? await fetch(`${url}${path(procedure, input)}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      : await fetch(`${url}/trpc/${procedure}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
  const body = await response.json();
  if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(body).slice(0, 400)}`);
  return body.result.data;
}

export async function timedCall(repeats, f) {
  const times = [];
  let value;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    value = await f();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], value };
}

/**
 * Active strategies on the map's `count` biggest gaps, keyed `${prefix}-0…` (one already there
 * is left as it is); their keys.
 */
export async function activateGapStrategies(url, token, map, count, prefix) {
  const keys = [];
  for (const [k, gap] of map.gaps.slice(0, count).entries()) {
    const key = `${prefix}-${k}`;
    keys.push(key);
    if (map.names.strategies[key]) continue;
    await call(
      url,
      token,
      'strategies.create',
      {
        key,
        definition: {
          name: `缺口 ${k}`,
          objective: 'active_customers',
          audience: { kind: 'cell', segment: gap.row, stage: gap.stage },
          channel: 'branch_rm',
          schedule: { kind: 'monthly', day: 5 },
          priority: 60 - k,
          controlShare: 0.2,
          kpi: { metric: 'conversion_rate', target: 0.2 },
          evaluationDays: 30,
          owner: 'hq',
        },
      },
      'POST',
    ).catch((e) => {
      if (!/exists/.test(String(e))) throw e;
    });
    await call(url, token, 'strategies.setStatus', { key, status: 'active' }, 'POST');
  }
  return keys;
}

export async function loadBench(report, { sqliteFile, label, copy = true }) {
  // A copy of the bank, so lists and strategies made here never touch the cached one.
  const file = copy ? join(cacheDir, `load-${label}.sqlite`) : sqliteFile;
  if (!existsSync(file)) {
    console.log(`\nCopying the bank for the load test (once): ${file}`);
    copyFileSync(sqliteFile, `${file}.partial`);
    renameSync(`${file}.partial`, file);
  }
  const db = openDatabase(file);
  const { token } = createServiceToken(db, { name: `load-${Date.now()}`, role: 'strategist' });
  db.close();
  console.log(`\nload ${label}: starting the server on ${file}`);
  // The load test itself must not be refused by the API's per-client rate limit.
  const server = await startStrata(file, {
    STRATA_DEMO: 'false',
    STRATA_RATE_LIMIT: '0',
    STRATA_LOG_LEVEL: 'warn',
  });
  try {
    const { url } = server;
    // Strategies on the four biggest gaps, active.
    // The first call counts the overlaps and results; later ones are remembered until a
    // strategy, a list, an outcome or the data changes.
    const cold = await timedCall(1, () =>
      call(url, token, 'strategies.map', { rankBy: 'customers' }),
    );
    const map0 = cold.value;
    const keys = await activateGapStrategies(url, token, map0, 4, 'load-gap');
    report(
      `strategy map ${label} (whole bank, with audience overlaps), first call, over HTTP`,
      'ms',
      cold.ms,
      'goal',
      2_000,
      `${cold.value.rows.length} rows × ${cold.value.stages.length} stages`,
    );
    const map = await timedCall(3, () => call(url, token, 'strategies.map', {}));
    report(
      `strategy map ${label}, remembered, over HTTP`,
      'ms',
      map.ms,
      'goal',
      2_000,
      'median of 3',
    );
    const generated = await timedCall(1, () =>
      call(url, token, 'lists.generate', { keys }, 'POST'),
    );
    const listed = generated.value.reduce((n, l) => n + l.summary.listed, 0);
    report(
      `list generation ${label}, ${keys.length} strategies, over HTTP`,
      'ms',
      generated.ms,
      'goal',
      2_000,
      `${listed.toLocaleString('en')} customers listed`,
    );
    // The map's results changed with the new lists: the first call after it counts again.
    const after = await timedCall(1, () => call(url, token, 'strategies.map', {}));
    report(
      `strategy map ${label}, first call after list generation, over HTTP`,
      'ms',
      after.ms,
      'goal',
      2_000,
      'per-cell results and the board counted again',
    );

    // Customers to ask about: treatment-arm customers (they have actions).
    const reader = openDatabase(file, { readonly: true });
    // (A list made again in the same month may have no treatment arm left: the month's
    // contacts are used up. Any active strategy's treatment customers will do.)
    const ids = reader.sqlite
      .prepare(
        `SELECT e.customer_id FROM list_entries e JOIN strategy_lists l ON l.id = e.list_id JOIN strategies s ON s.id = l.strategy_id
         WHERE e.arm = 'treatment' AND s.status = 'active' LIMIT 200000`,
      )
      .pluck()
      .all();
    reader.close();
    if (ids.length === 0)
      throw new Error(
        `No treatment customers to ask about: the lists of ${file} are empty. A bank without consents lists nobody (the cached benchmark bank may predate them: delete it to rebuild, or run STRATA_BENCH_ONLY=large,load).`,
      );
    const rng = createRng(20261123);
    const sample = Array.from({ length: 2_000 }, () => ids[rng.int(0, ids.length - 1)]);
    const procedures = [
      ['health', [path('health')]],
      ['lifecycle funnel', [path('lifecycle.funnel', {})]],
      // The map and the funnel are served from memory while nothing is written (the server's
      // remembered answers); `Cache-Control: no-cache` has the map made and serialised each call.
      ['strategy map', [path('strategies.map', {})]],
      [
        'strategy map, made each call (no-cache)',
        [path('strategies.map', {})],
        { 'cache-control': 'no-cache' },
      ],
      ['customer profile', sample.map((customer) => path('insight.profile', { customer }))],
      ['next best actions', sample.map((customer) => path('actions.next', { customer }))],
    ];
    for (const connections of [50, 200]) {
      const results = new Map();
      for (const [name, paths, headers] of procedures) {
        process.stderr.write(`  ${name} at ${connections} connections for ${seconds} s\n`);
        results.set(name, await cannon(url, token, connections, paths, seconds, headers));
      }
      const health = results.get('health');
      for (const [name, r] of results) {
        if (name === 'health') continue;
        report(
          `load ${label} ${name}, ${connections} connections, ${seconds} s`,
          'req/s',
          r.rps,
          'health procedure, same run',
          health.rps,
          `p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, errors ${r.errors}; health p50 ${health.p50} ms, p99 ${health.p99} ms, errors ${health.errors}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  rmSync(`${file}-shm`, { force: true });
}
