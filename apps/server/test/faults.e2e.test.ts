// Faults: the server killed with SIGKILL while it generates lists, and while it imports a file.
// On restart the database is whole, what was there before is intact, no part of the interrupted
// work is visible, and an interrupted import is marked failed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoBank } from '@strata/demo-data';
import { writeBankCsv } from '@strata/demo-data/csv';
import { createServiceToken, openDatabase } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '@strata/api';
import { startStrata } from './start.js';

let dir: string;
let file: string;
let token: string;
let customersCsv: string;
const BANK = { seed: 12, retail: 40_000, corporate: 2_000 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-server-faults-'));
  file = join(dir, 'strata.db');
  const db = openDatabase(file);
  seedDemoBank(db, BANK, undefined, () => new Date('2026-11-05T09:00:00Z'));
  token = createServiceToken(db, { name: 'hq', role: 'strategist' }).token;
  db.close();
  writeBankCsv(createDemoBank(BANK), join(dir, 'bank'));
  // The same customers under new numbers: an import that would add 42,000.
  customersCsv = readFileSync(join(dir, 'bank', 'customers.csv'), 'utf8').replace(
    /^([RC])/gm,
    'H$1',
  );
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const client = (url: string) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });

function counts() {
  const db = openDatabase(file);
  try {
    return {
      integrity: db.sqlite.pragma('integrity_check', { simple: true }),
      lists: db.sqlite.prepare('SELECT count(*) FROM strategy_lists').pluck().get() as number,
      entries: db.sqlite.prepare('SELECT count(*) FROM list_entries').pluck().get() as number,
      perList: db.sqlite
        .prepare(
          'SELECT list_id, count(*) AS n FROM list_entries GROUP BY list_id ORDER BY list_id',
        )
        .all(),
      audits: db.sqlite
        .prepare("SELECT count(*) FROM audit_log WHERE action = 'list.generate'")
        .pluck()
        .get() as number,
    };
  } finally {
    db.close();
  }
}

describe('the server killed during list generation', () => {
  it('keeps the earlier lists, shows no part of the interrupted one, and generates again after restart', async () => {
    let strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
    try {
      let api = client(strata.url);
      const map = await api.strategies.map.query({ rankBy: 'customers' });
      const keys: string[] = [];
      for (const [k, gap] of map.gaps.slice(0, 4).entries()) {
        const key = `gap-${k}`;
        await api.strategies.create.mutate({
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
        });
        await api.strategies.setStatus.mutate({ key, status: 'active' });
        keys.push(key);
      }
      // One generation that completes: the list made before the crash, and how long it takes.
      const started = performance.now();
      const generated = await api.lists.generate.mutate({ keys });
      const took = performance.now() - started;
      expect(generated.reduce((n, l) => n + l.summary.listed, 0)).toBeGreaterThan(1_000);
      const first = (generated[0] as { id: number }).id;
      const before = counts();
      expect(before.lists).toBe(keys.length);

      // The same again, killed half-way through (the server answers nothing meanwhile). A
      // generation can finish sooner than the first (its caches are warm, a loaded machine
      // varies): if it committed before the kill, it must have made whole lists, and the kill
      // comes sooner next time; one of the attempts must land mid-way.
      let delay = took / 2;
      let whole = before;
      let landed = false;
      for (let attempt = 0; attempt < 5 && !landed; attempt++) {
        const pending = api.lists.generate.mutate({ keys }).then(
          () => 'answered',
          () => 'no answer',
        );
        await new Promise((r) => setTimeout(r, Math.max(10, delay)));
        await strata.kill();
        const answered = (await pending) === 'answered';
        const now = counts();
        // Killed before its commit: nothing of it. Killed after (before the answer went out),
        // or answered: all of it, audited. Never a part.
        landed = !answered && now.lists === whole.lists;
        if (landed) expect(now).toEqual({ ...whole, integrity: 'ok' });
        else {
          expect(now.lists).toBe(whole.lists + keys.length);
          expect(now.audits).toBe(whole.audits + 1);
          expect(now.integrity).toBe('ok');
          whole = now;
          delay /= 2;
          strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
          api = client(strata.url);
        }
      }
      expect(landed).toBe(true);
      const db = openDatabase(file);
      const made = db.sqlite
        .prepare('SELECT id FROM strategy_lists ORDER BY id')
        .pluck()
        .all() as number[];
      db.close();

      // Restarted on the same file: the earlier lists, whole; a new generation works.
      strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
      const again = client(strata.url);
      const lists = await again.lists.list.query({});
      expect(lists.map((l) => l.id).sort((a, b) => a - b)).toEqual(made);
      const page = await again.lists.entries.query({ id: first, limit: 1_000, offset: 0 });
      expect(page.length).toBeGreaterThan(0);
      const remade = await again.lists.generate.mutate({ keys });
      expect(remade.length).toBe(keys.length);
      expect(counts().lists).toBe(made.length + keys.length);
    } finally {
      await strata.stop();
    }
  }, 240_000);

  it('during an import: nothing of the file is written, and the next start marks the import failed', async () => {
    const count = () => {
      const db = openDatabase(file);
      try {
        return {
          integrity: db.sqlite.pragma('integrity_check', { simple: true }),
          customers: db.sqlite.prepare('SELECT count(*) FROM customers').pluck().get(),
          renamed: db.sqlite
            .prepare("SELECT count(*) FROM customers WHERE external_id LIKE 'H%'")
            .pluck()
            .get(),
          running: db.sqlite
            .prepare("SELECT count(*) FROM import_runs WHERE status = 'running'")
            .pluck()
            .get(),
        };
      } finally {
        db.close();
      }
    };
    const before = count();
    let strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
    let runId = 0;
    try {
      const auth = { authorization: `Bearer ${token}` };
      const res = await fetch(`${strata.url}/api/imports?kind=customers&name=customers.csv`, {
        method: 'POST',
        body: customersCsv,
        headers: { 'content-type': 'text/csv', ...auth },
      });
      expect(res.status).toBe(202);
      runId = ((await res.json()) as { runId: number }).runId;
      // Follow its progress; kill the server once rows are being written.
      const events = await fetch(`${strata.url}/api/imports/${runId}/events`, { headers: auth });
      const reader = events.body?.getReader();
      let seen = '';
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error(`the import ended before it was killed: ${seen}`);
        seen += new TextDecoder().decode(chunk.value);
        const done = [...seen.matchAll(/event: progress\ndata: (.*)\n/g)]
          .map((m) => JSON.parse(m[1] as string) as { rowsRead?: number })
          .some((p) => (p.rowsRead ?? 0) > 0);
        if (done) break;
      }
      await strata.kill();
      await reader?.cancel().catch(() => undefined);
    } finally {
      await strata.stop().catch(() => undefined);
    }
    const after = count();
    expect(after).toEqual({ ...before, integrity: 'ok', running: 1 });

    // The next start marks it failed, with the reason; the file can be imported again.
    strata = await startStrata({ STRATA_DB: file, STRATA_DEMO: 'false' });
    try {
      const db = openDatabase(file, { readonly: true });
      expect(
        db.sqlite.prepare('SELECT status, error FROM import_runs WHERE id = ?').get(runId),
      ).toEqual({
        status: 'failed',
        error:
          'interrupted: the process stopped before the import finished; nothing of it was written',
      });
      db.close();
    } finally {
      await strata.stop();
    }
  }, 240_000);
});
