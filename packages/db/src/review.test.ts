import { createRng, defaultScorers } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsightRefresh } from './insight-refresh.js';
import { bumpDataVersion } from './metric-blocks.js';
import { generateStrategyLists } from './lists.js';
import { getListEntries } from './queries/lists.js';
import { recordOutcomes, strategyBoard } from './outcomes.js';
import { mapCellResults } from './map-results.js';
import { reviewStrategy } from './review.js';
import { seedDemoBank } from './seed/index.js';
import { createStrategy, setStrategyStatus } from './strategies.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

// The review reads results from two places: outcomes recorded on the lists (conversions) and the
// monthly data (the objective's metric). Lists are made for July 2026 so August to October hold
// their evaluation windows; known effects are written into those months and must be found.
let db: StrataDb;
const now = new Date('2026-11-05T09:00:00Z');
const who = { actor: 'chen.hq', now };
const admin = { role: 'admin', orgUnitId: null, rmId: null } as const;
const base = {
  objective: 'aum',
  schedule: { kind: 'monthly', day: 5 },
  priority: 50,
  kpi: { metric: 'aum_change', target: 10_000 },
  owner: 'chen.hq',
} as const;
const entriesOf = (listId: number) =>
  getListEntries(db, listId, admin, { limit: 100_000, offset: 0 });
const addToMetric = (period: string, ids: readonly number[], amount: number) => {
  const bump = db.sqlite.prepare(
    'UPDATE monthly_metrics SET aum_avg = aum_avg + ? WHERE period = ? AND customer_id = ?',
  );
  db.sqlite.transaction(() => {
    for (const id of ids) bump.run(amount, period, id);
  })();
};

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 16, retail: 6_000, corporate: 300 }, undefined, () => now);
  runInsightRefresh(db, { period: '2026-07', now: () => now });
}, 120_000);
afterAll(() => db.close());

describe('the review (回检)', () => {
  it('with a control group and a model: AUM change, each group’s uplift, model against rule, and the cells', () => {
    createStrategy(
      db,
      'grow-aum',
      {
        ...base,
        name: 'Grow AUM',
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 40 } },
        channel: 'sms',
        controlShare: 0.3,
        evaluationDays: 60, // results read in September
        model: {
          scorer: 'strata.responsiveness',
          select: { kind: 'top', share: 0.4 },
          compare: true,
        },
      },
      who,
    );
    setStrategyStatus(db, 'grow-aum', 'active', who);
    const [list] = generateStrategyLists(db, {
      keys: ['grow-aum'],
      period: '2026-07',
      ...who,
      scorers: defaultScorers(),
    });
    const entries = entriesOf(list?.id as number);
    // true effects: +30,000 AUM for contacted customers; conversion 30 % (model group) and
    // 15 % (rule group) when contacted, 10 % without contact
    const TRUE_AUM = 30_000;
    addToMetric(
      '2026-09',
      entries.filter((e) => e.arm === 'treatment').map((e) => e.customerId),
      TRUE_AUM,
    );
    const rng = createRng(7);
    const rate = (e: (typeof entries)[number]) =>
      e.arm === 'control' ? 0.1 : e.selection === 'model' ? 0.3 : 0.15;
    recordOutcomes(
      db,
      list?.id as number,
      entries.map((e) => ({
        customerId: e.customerId,
        contacted: e.arm === 'treatment',
        converted: rng.next() < rate(e),
        occurredOn: '2026-08-10',
      })),
      { scope: admin, ...who },
    );

    const [review] = reviewStrategy(db, 'grow-aum');
    if (!review?.change?.comparison || !review.groups) throw new Error('incomplete review');
    const { change, groups } = review;
    const comparison = change.comparison;
    if (!comparison) throw new Error('no comparison');
    console.log(
      `AUM change, treatment − control: ${comparison.difference.toFixed(0)} (95 % CI ${comparison.differenceCi.map((x) => x.toFixed(0)).join(' to ')}), true ${TRUE_AUM}; ` +
        `model group uplift ${((groups.model.conversion?.uplift ?? 0) * 100).toFixed(1)} pts (true 20), rule group ${((groups.rule.conversion?.uplift ?? 0) * 100).toFixed(1)} pts (true 5), model − rule ${((groups.modelVsRule?.uplift ?? 0) * 100).toFixed(1)} pts (true 15)`,
    );
    expect(change).toMatchObject({ metric: 'aum_avg', months: 2, pending: null, missing: 0 });
    expect(change.measured).toBe(entries.length);
    expect(comparison.differenceCi[0]).toBeLessThan(TRUE_AUM);
    expect(comparison.differenceCi[1]).toBeGreaterThan(TRUE_AUM);
    expect(comparison.differenceCi[0]).toBeGreaterThan(0);
    const holds = (ci: readonly [number, number] | undefined, truth: number) => {
      expect(ci?.[0]).toBeLessThan(truth);
      expect(ci?.[1]).toBeGreaterThan(truth);
    };
    holds(groups.model.conversion?.upliftCi, 0.2);
    holds(groups.rule.conversion?.upliftCi, 0.05);
    holds(groups.modelVsRule?.upliftCi, 0.15);
    expect(groups.model.treatment.n + groups.rule.treatment.n).toBe(review.treatment.n);
    // the cells partition the list, named by the July segment and stage of each customer
    const cells = review.cells;
    expect(cells.reduce((a, c) => a + c.treatment.n + c.control.n, 0)).toBe(entries.length);
    expect(cells.every((c) => c.stage !== '?')).toBe(true);
    expect(cells[0]?.conversion?.uplift).toBeGreaterThan(0);
    // the map's per-cell results say the same, and a branch sees only its customers'
    const onMap = mapCellResults(db, { dimension: 'primary' }).filter(
      (r) => r.strategy === 'grow-aum',
    );
    expect(onMap.map((r) => [r.row, r.stage, r.treatment, r.control]).sort()).toEqual(
      cells.map((c) => [c.segment, c.stage, c.treatment, c.control]).sort(),
    );
    const branch = db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const mine = mapCellResults(db, { dimension: 'primary', orgUnitId: branch }).filter(
      (r) => r.strategy === 'grow-aum',
    );
    const total = (rs: typeof onMap) => rs.reduce((a, r) => a + r.treatment.n + r.control.n, 0);
    expect(total(mine)).toBeGreaterThan(0);
    expect(total(mine)).toBeLessThan(total(onMap));
  });

  it('without a control group: difference in differences against the same cells', () => {
    createStrategy(
      db,
      'no-control',
      {
        ...base,
        name: 'No control',
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '<', value: 40 } },
        channel: 'branch_rm',
        controlShare: 0,
        evaluationDays: 90, // read in October: untouched by the other strategy's September effect
      },
      who,
    );
    setStrategyStatus(db, 'no-control', 'active', who);
    const [list] = generateStrategyLists(db, { keys: ['no-control'], period: '2026-07', ...who });
    const entries = entriesOf(list?.id as number);
    expect(entries.every((e) => e.arm === 'treatment')).toBe(true);
    const TRUE_AUM = 25_000;
    addToMetric(
      '2026-10',
      entries.map((e) => e.customerId),
      TRUE_AUM,
    );
    const [review] = reviewStrategy(db, 'no-control');
    const did = review?.change?.did;
    if (!did) throw new Error('no difference in differences');
    console.log(
      `no control group, difference in differences: ${did.estimate.toFixed(0)} (95 % CI ${did.ci.map((x) => x.toFixed(0)).join(' to ')}), true ${TRUE_AUM}; ${did.treated} treated in ${did.strata.length} cells against ${did.comparison}, ${did.unmatched} unmatched; ${review.recommendation.action}: ${review.recommendation.reason}`,
    );
    expect(review.conversion).toBeNull();
    expect(did.ci[0]).toBeLessThan(TRUE_AUM);
    expect(did.ci[1]).toBeGreaterThan(TRUE_AUM);
    expect(did.treated + did.unmatched).toBe(entries.length);
    expect(review.recommendation.action).toBe('scale_up');
    expect(review.recommendation.reason).toMatch(/difference in differences/);
  });

  it('says what it waits for when the window has no data yet', () => {
    createStrategy(
      db,
      'too-soon',
      {
        ...base,
        name: 'Too soon',
        audience: { kind: 'rule', rule: { kind: 'cmp', field: 'age', op: '>=', value: 70 } },
        channel: 'call_out',
        controlShare: 0.2,
        evaluationDays: 30,
      },
      who,
    );
    setStrategyStatus(db, 'too-soon', 'active', who);
    generateStrategyLists(db, { keys: ['too-soon'], period: '2026-10', ...who }); // the latest month
    const [review] = reviewStrategy(db, 'too-soon');
    expect(review?.change).toMatchObject({
      pending: 'waiting for the 2026-11 monthly data',
      comparison: null,
      did: null,
    });
  });
});

describe('the map’s per-cell results (counted in memory)', () => {
  // The reference: the same counts as one SQL join over every list entry.
  const reference = (column: string, orgUnitId: number | null) =>
    db.sqlite
      .prepare(
        `SELECT s.key AS strategy, ${column} AS row, ic.stage AS stage, e.arm AS arm, count(*) AS n,
           sum(coalesce(o.converted, 0)) AS converted
         FROM strategies s JOIN strategy_lists l ON l.strategy_id = s.id JOIN list_entries e ON e.list_id = l.id
         JOIN insight_customers ic ON ic.customer_id = e.customer_id AND ic.run_id =
           (SELECT max(r.id) FROM insight_runs r WHERE r.period = l.period AND r.status = 'succeeded')
         JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
         LEFT JOIN list_outcomes o ON o.list_id = e.list_id AND o.customer_id = e.customer_id
         WHERE s.status IN ('active', 'paused') AND ${column} IS NOT NULL
           AND (? IS NULL OR u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      )
      .all(orgUnitId, orgUnitId) as {
      strategy: string;
      row: string;
      stage: string;
      arm: string;
      n: number;
      converted: number;
    }[];
  const asRows = (results: ReturnType<typeof mapCellResults>) =>
    results
      .flatMap((r) =>
        (['control', 'treatment'] as const).flatMap((arm) =>
          r[arm].n > 0
            ? [{ strategy: r.strategy, row: r.row, stage: r.stage, arm, ...r[arm] }]
            : [],
        ),
      )
      .sort(
        (a, b) =>
          a.strategy.localeCompare(b.strategy) ||
          (a.row < b.row ? -1 : a.row > b.row ? 1 : 0) ||
          (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0) ||
          a.arm.localeCompare(b.arm),
      );
  const COLUMNS = {
    primary: "coalesce(ic.primary_segment, '(none)')",
    aum_tier: 'CAST(ic.value_tier AS TEXT)',
    corporate_tier: 'CAST(ic.contribution_tier AS TEXT)',
    risk_tier: 'CAST(ic.risk_tier AS TEXT)',
    enterprise_size: 'CAST(ic.enterprise_size AS TEXT)',
    cluster: 'CAST(ic.cluster AS TEXT)',
    pareto: 'CAST(ic.pareto AS TEXT)',
  };
  const branches = () =>
    db.sqlite
      .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 3")
      .pluck()
      .all() as number[];
  const agree = () => {
    let compared = 0;
    for (const [dimension, column] of Object.entries(COLUMNS))
      for (const unit of [null, ...branches()]) {
        const want = reference(column, unit);
        expect(
          asRows(mapCellResults(db, { dimension, orgUnitId: unit })),
          `${dimension} ${unit}`,
        ).toEqual(want);
        compared += want.length;
      }
    return compared;
  };

  it('equal the SQL join over the entries, for every dimension and scope', () => {
    expect(agree()).toBeGreaterThan(100);
  });

  it('never keeps the entries of a list whose transaction rolled back (its id is reused)', () => {
    agree();
    const undone = () =>
      db.sqlite.transaction(() => {
        generateStrategyLists(db, { keys: ['too-soon'], period: '2026-10', ...who });
        throw new Error('undo');
      })();
    expect(undone).toThrow('undo');
    const [list] = generateStrategyLists(db, {
      keys: ['grow-aum'],
      period: '2026-07',
      ...who,
      scorers: defaultScorers(),
    });
    expect(list?.summary.listed).toBeGreaterThan(0);
    expect(agree()).toBeGreaterThan(100);
  });

  it('the board counted in memory equals the board of the whole-bank scope (one SQL join)', () => {
    const board = strategyBoard(db);
    expect(board.length).toBeGreaterThanOrEqual(3);
    expect(board.some((row) => row.conversions > 0 && row.control.n > 0)).toBe(true);
    expect(board).toEqual(strategyBoard(db, { scope: admin }));
    expect(strategyBoard(db, { key: 'grow-aum' })).toEqual(
      strategyBoard(db, { scope: admin, key: 'grow-aum' }),
    );
  });

  it('follow a customer who changes branch, and a new run of the lists’ month', () => {
    agree(); // columns cached
    const [from, to] = branches();
    // listed customers of the first branch's subtree move to the second branch
    const moved = db.sqlite
      .prepare(
        `SELECT DISTINCT e.customer_id FROM list_entries e JOIN customers c ON c.id = e.customer_id
         JOIN org_units u ON u.id = c.org_unit_id
         WHERE u.path LIKE (SELECT path FROM org_units WHERE id = ?) || '%' LIMIT 25`,
      )
      .pluck()
      .all(from) as number[];
    expect(moved.length).toBeGreaterThan(0);
    db.sqlite.transaction(() => {
      const move = db.sqlite.prepare('UPDATE customers SET org_unit_id = ? WHERE id = ?');
      for (const id of moved) move.run(to, id);
      bumpDataVersion(db);
    })();
    agree();
    // a new run of July, in which the moved customers hold nothing: the cells come from it
    const before = asRows(mapCellResults(db, { dimension: 'aum_tier' }));
    db.sqlite.transaction(() => {
      const empty = db.sqlite.prepare(
        "UPDATE monthly_metrics SET aum_avg = 0, deposits_avg = 0 WHERE period = '2026-07' AND customer_id = ?",
      );
      for (const id of moved) empty.run(id);
      bumpDataVersion(db);
    })();
    runInsightRefresh(db, { period: '2026-07', now: () => now });
    expect(asRows(mapCellResults(db, { dimension: 'aum_tier' }))).not.toEqual(before);
    expect(agree()).toBeGreaterThan(100);
  });
});
