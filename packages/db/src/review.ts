import {
  NO_SEGMENT,
  addMonths,
  compareProportions,
  differenceInDifferences,
  recommend,
  summarize,
  welchTTest,
  type DidEstimate,
  type Localized,
  type MeanComparison,
  type Metric,
  type Objective,
  type Period,
  type ProportionComparison,
  type Recommendation,
} from '@strata/core';
import { StrategyError, getStrategy } from './strategies.js';
import type { StrataDb } from './types.js';

/** Listed customers of one arm and how many converted. */
export interface ArmResult {
  readonly n: number;
  readonly converted: number;
}

/** Treatment against control within a part of a list (a model group, a map cell). */
export interface PartReview {
  readonly treatment: ArmResult;
  readonly control: ArmResult;
  /** Null when either arm is empty. */
  readonly conversion: ProportionComparison | null;
}

/** A map cell's part of a strategy's lists: the customers' segment and stage when listed. */
export interface CellReview extends PartReview {
  readonly segment: string;
  readonly stage: string;
}

/** How a metric of the customers moved over the evaluation window, from the monthly data. */
export interface MetricChange {
  /** The metric the objective moves: AUM (aum_avg), fee income, or activity (active_txn_count). */
  readonly metric: Metric;
  /** Months from the list's data month to the month its result is read in. */
  readonly months: number;
  /** Null when every list's window has its data; otherwise what is awaited. */
  readonly pending: string | null;
  /** The months whose monthly data the review waits for (empty when none). */
  readonly awaiting: readonly Period[];
  /** Listed customers with both months' values, and those lacking one. */
  readonly measured: number;
  readonly missing: number;
  /** Treatment against control change (Welch's t-test), with a control group. */
  readonly comparison: MeanComparison | null;
  /**
   * Without a control group: the treated customers' change against that of customers in the same
   * map cells who were on none of the strategy's lists (difference in differences).
   */
  readonly did: DidEstimate | null;
}

/** A strategy version's results. */
export interface VersionReview {
  readonly version: number;
  readonly lists: number;
  readonly treatment: {
    readonly n: number;
    readonly contacted: number;
    readonly converted: number;
  };
  readonly control: ArmResult;
  /** Treatment against control conversion; null when the version ran without a control group. */
  readonly conversion: ProportionComparison | null;
  /** Recorded amounts per customer (0 without an outcome), when any were recorded. */
  readonly amount: MeanComparison | null;
  /** The objective's metric from the monthly data (AUM change, fee income, activity). */
  readonly change: MetricChange | null;
  /**
   * With a model: each group's own uplift, and the model group's treatment conversion against the
   * rule group's (what the model adds over the rule: 模型组 vs 非模型组).
   */
  readonly groups: {
    readonly model: PartReview;
    readonly rule: PartReview;
    readonly modelVsRule: ProportionComparison | null;
  } | null;
  /** Per map cell (primary segment × stage when listed), most customers first. */
  readonly cells: readonly CellReview[];
  readonly recommendation: {
    readonly action: Recommendation;
    readonly reason: string;
    readonly reasons: Localized;
  };
}

const OBJECTIVE_METRIC: Readonly<Record<Objective, Metric>> = {
  aum: 'aum_avg',
  fee_income: 'fee_income',
  active_customers: 'active_txn_count',
};

/** Treatment against control: both arms' counts and, when both have customers, their conversion compared. */
export const part = (t: ArmResult | undefined, c: ArmResult | undefined): PartReview => {
  const treatment = { n: t?.n ?? 0, converted: t?.converted ?? 0 };
  const control = { n: c?.n ?? 0, converted: c?.converted ?? 0 };
  return {
    treatment,
    control,
    conversion: treatment.n > 0 && control.n > 0 ? compareProportions(treatment, control) : null,
  };
};

/** The latest succeeded insight run of each month, as SQL for a join. */
const RUN_OF_PERIOD = `(SELECT max(r.id) FROM insight_runs r WHERE r.period = l.period AND r.status = 'succeeded')`;

/**
 * The review (回检) of a strategy, per version: every customer listed in the treatment and control
 * arms (intent to treat: a treatment customer not reached still counts), their conversions, the
 * uplift with its interval and test, amounts recorded by Welch's t-test, the objective's metric
 * from the monthly data (treatment against control, or difference in differences against the
 * same map cells when there was no control group), the model and rule groups, the map cells, and
 * a recommendation.
 */
export function reviewStrategy(db: StrataDb, key: string): VersionReview[] {
  const strategy = getStrategy(db, key);
  if (!strategy) throw new StrategyError(`No strategy "${key}".`, 'NOT_FOUND');
  const outcome = `LEFT JOIN list_outcomes o ON o.list_id = e.list_id AND o.customer_id = e.customer_id`;
  const rows = db.sqlite
    .prepare(
      `SELECT l.version, count(DISTINCT l.id) AS lists, e.arm, count(*) AS n, sum(coalesce(o.contacted, 0)) AS contacted,
         sum(coalesce(o.converted, 0)) AS converted
       FROM strategy_lists l JOIN list_entries e ON e.list_id = l.id ${outcome}
       WHERE l.strategy_id = ? GROUP BY l.version, e.arm ORDER BY l.version`,
    )
    .all(strategy.id) as {
    version: number;
    lists: number;
    arm: string;
    n: number;
    contacted: number;
    converted: number;
  }[];
  const groupRows = db.sqlite.prepare(
    `SELECT e.selection, e.arm, count(*) AS n, sum(coalesce(o.converted, 0)) AS converted
     FROM strategy_lists l JOIN list_entries e ON e.list_id = l.id ${outcome}
     WHERE l.strategy_id = ? AND l.version = ? AND e.selection IS NOT NULL GROUP BY 1, 2`,
  );
  const cellRows = db.sqlite.prepare(
    `SELECT coalesce(ic.primary_segment, '${NO_SEGMENT}') AS segment, coalesce(ic.stage, '?') AS stage, e.arm,
       count(*) AS n, sum(coalesce(o.converted, 0)) AS converted
     FROM strategy_lists l JOIN list_entries e ON e.list_id = l.id ${outcome}
     LEFT JOIN insight_customers ic ON ic.run_id = ${RUN_OF_PERIOD} AND ic.customer_id = e.customer_id
     WHERE l.strategy_id = ? AND l.version = ? GROUP BY 1, 2, 3`,
  );
  const amounts = db.sqlite
    .prepare(
      `SELECT coalesce(o.amount, 0) FROM strategy_lists l JOIN list_entries e ON e.list_id = l.id ${outcome}
       WHERE l.strategy_id = ? AND l.version = ? AND e.arm = ?`,
    )
    .pluck();
  const anyAmount = db.sqlite.prepare(
    `SELECT 1 FROM list_outcomes o JOIN strategy_lists l ON l.id = o.list_id WHERE l.strategy_id = ? AND l.version = ? AND o.amount IS NOT NULL LIMIT 1`,
  );

  const out: VersionReview[] = [];
  for (const version of [...new Set(rows.map((r) => r.version))]) {
    const definition = getStrategy(db, key, version)?.definition ?? strategy.definition;
    const t = rows.find((r) => r.version === version && r.arm === 'treatment');
    const c = rows.find((r) => r.version === version && r.arm === 'control');
    const treatment = { n: t?.n ?? 0, contacted: t?.contacted ?? 0, converted: t?.converted ?? 0 };
    const control = { n: c?.n ?? 0, converted: c?.converted ?? 0 };
    const conversion =
      treatment.n > 0 && control.n > 0 ? compareProportions(treatment, control) : null;
    const amount =
      anyAmount.get(strategy.id, version) && treatment.n > 1 && control.n > 1
        ? welchTTest(
            summarize(amounts.all(strategy.id, version, 'treatment') as number[]),
            summarize(amounts.all(strategy.id, version, 'control') as number[]),
          )
        : null;

    const groups = groupRows.all(strategy.id, version) as {
      selection: 'model' | 'rule';
      arm: string;
      n: number;
      converted: number;
    }[];
    const arm = (selection: string, a: string) =>
      groups.find((g) => g.selection === selection && g.arm === a);
    const model = part(arm('model', 'treatment'), arm('model', 'control'));
    const rule = part(arm('rule', 'treatment'), arm('rule', 'control'));

    const cells = new Map<
      string,
      { segment: string; stage: string; t?: ArmResult; c?: ArmResult }
    >();
    for (const r of cellRows.all(strategy.id, version) as {
      segment: string;
      stage: string;
      arm: string;
      n: number;
      converted: number;
    }[]) {
      const k = `${r.segment}\u0000${r.stage}`;
      const cell = cells.get(k) ?? { segment: r.segment, stage: r.stage };
      cell[r.arm === 'treatment' ? 't' : 'c'] = { n: r.n, converted: r.converted };
      cells.set(k, cell);
    }

    const change = metricChange(
      db,
      strategy.id,
      version,
      definition.objective,
      definition.evaluationDays,
    );
    out.push({
      version,
      lists: Math.max(t?.lists ?? 0, c?.lists ?? 0),
      treatment,
      control,
      conversion,
      amount,
      change,
      groups:
        groups.length === 0
          ? null
          : {
              model,
              rule,
              modelVsRule:
                model.treatment.n > 0 && rule.treatment.n > 0
                  ? compareProportions(model.treatment, rule.treatment)
                  : null,
            },
      cells: [...cells.values()]
        .map((x) => ({ segment: x.segment, stage: x.stage, ...part(x.t, x.c) }))
        .sort(
          (a, b) =>
            b.treatment.n + b.control.n - (a.treatment.n + a.control.n) ||
            a.segment.localeCompare(b.segment) ||
            a.stage.localeCompare(b.stage),
        ),
      recommendation: conversion
        ? recommend(conversion, { treatment: treatment.n, control: control.n }, definition.kpi)
        : recommendWithoutControl(change),
    });
  }
  return out;
}

/** Without a control group the metric's difference in differences decides, or nothing can yet. */
function recommendWithoutControl(change: MetricChange | null): VersionReview['recommendation'] {
  const say = (action: Recommendation, en: string, zh: string) => ({
    action,
    reason: en,
    reasons: { en, 'zh-CN': zh },
  });
  const did = change?.did;
  if (!change || change.pending || !did)
    return say(
      'keep',
      `no control group, and ${change?.pending ?? 'no comparison of the metric yet'}: the effect cannot be judged`,
      `没有对照组，且${change?.awaiting.length ? `尚待 ${change.awaiting.join('、')} 月度数据` : '尚无指标对比'}：暂不能判断效果`,
    );
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const sign = did.estimate >= 0 ? '+' : '';
  const effect = `${change.metric} ${sign}${fmt(did.estimate)} per customer against the same cells (95 % CI ${fmt(did.ci[0])} to ${fmt(did.ci[1])}, p = ${did.p.toPrecision(2)}; difference in differences, no control group)`;
  const zh = `${change.metric} 相对同单元格客户每客户 ${sign}${fmt(did.estimate)}（95% 置信区间 ${fmt(did.ci[0])} 至 ${fmt(did.ci[1])}，p = ${did.p.toPrecision(2)}；无对照组，双重差分）`;
  if (did.ci[0] > 0) return say('scale_up', effect, zh);
  if (did.ci[1] < 0) return say('retire', effect, zh);
  return say('keep', `no clear effect yet: ${effect}`, `尚无明确效果：${zh}`);
}

/**
 * The objective's metric from the data month of each list (pre) to `months` later (post), for
 * the version's listed customers: treatment against control, or, without a control group, against
 * customers of the same map cells on none of the strategy's lists.
 */
function metricChange(
  db: StrataDb,
  strategyId: number,
  version: number,
  objective: Objective,
  evaluationDays: number,
): MetricChange | null {
  const metric = OBJECTIVE_METRIC[objective];
  const months = Math.max(1, Math.ceil(evaluationDays / 30));
  const periods = db.sqlite
    .prepare(
      'SELECT DISTINCT period FROM strategy_lists WHERE strategy_id = ? AND version = ? ORDER BY 1',
    )
    .pluck()
    .all(strategyId, version) as Period[];
  if (periods.length === 0) return null;
  const hasData = db.sqlite.prepare('SELECT 1 FROM monthly_metrics WHERE period = ? LIMIT 1');
  const waiting = periods.map((p) => addMonths(p, months)).filter((p) => !hasData.get(p));
  if (waiting.length > 0)
    return {
      metric,
      months,
      pending: `waiting for the ${waiting.join(', ')} monthly data`,
      awaiting: waiting,
      measured: 0,
      missing: 0,
      comparison: null,
      did: null,
    };
  const listed = db.sqlite.prepare(
    `SELECT e.arm, coalesce(ic.primary_segment, '${NO_SEGMENT}') || ' × ' || coalesce(ic.stage, '?') AS cell,
       post.${metric} - pre.${metric} AS change
     FROM strategy_lists l JOIN list_entries e ON e.list_id = l.id
     LEFT JOIN insight_customers ic ON ic.run_id = ${RUN_OF_PERIOD} AND ic.customer_id = e.customer_id
     LEFT JOIN monthly_metrics pre ON pre.customer_id = e.customer_id AND pre.period = l.period
     LEFT JOIN monthly_metrics post ON post.customer_id = e.customer_id AND post.period = ?
     WHERE l.strategy_id = ? AND l.version = ? AND l.period = ?`,
  );
  const treated: { cell: string; change: number }[] = [];
  const control: number[] = [];
  let missing = 0;
  for (const p of periods)
    for (const r of listed.all(addMonths(p, months), strategyId, version, p) as {
      arm: string;
      cell: string;
      change: number | null;
    }[]) {
      if (r.change === null) missing++;
      else if (r.arm === 'treatment') treated.push({ cell: r.cell, change: r.change });
      else control.push(r.change);
    }
  const base = {
    metric,
    months,
    pending: null,
    awaiting: [],
    measured: treated.length + control.length,
    missing,
  };
  if (control.length > 1 && treated.length > 1)
    return {
      ...base,
      comparison: welchTTest(summarize(treated.map((x) => x.change)), summarize(control)),
      did: null,
    };
  if (control.length > 0 || treated.length < 2) return { ...base, comparison: null, did: null };

  // no control group: the same cells' customers on none of this strategy's lists
  const comparison = db.sqlite.prepare(
    `SELECT coalesce(ic.primary_segment, '${NO_SEGMENT}') || ' × ' || ic.stage AS cell, post.${metric} - pre.${metric} AS change
     FROM insight_customers ic
     JOIN monthly_metrics pre ON pre.customer_id = ic.customer_id AND pre.period = ?
     JOIN monthly_metrics post ON post.customer_id = ic.customer_id AND post.period = ?
     WHERE ic.run_id = (SELECT max(id) FROM insight_runs WHERE period = ? AND status = 'succeeded')
       AND ic.customer_id NOT IN (SELECT e.customer_id FROM list_entries e JOIN strategy_lists l ON l.id = e.list_id WHERE l.strategy_id = ?)`,
  );
  const cells = new Set(treated.map((x) => x.cell));
  const byCell = new Map<string, { treated: number[]; comparison: number[] }>();
  for (const x of treated) {
    const c = byCell.get(x.cell) ?? { treated: [], comparison: [] };
    c.treated.push(x.change);
    byCell.set(x.cell, c);
  }
  for (const p of periods)
    for (const r of comparison.all(p, addMonths(p, months), p, strategyId) as {
      cell: string;
      change: number | null;
    }[])
      if (r.change !== null && cells.has(r.cell)) byCell.get(r.cell)?.comparison.push(r.change);
  const strata = [...byCell.entries()].map(([key, v]) => ({
    key,
    treated: summarize(v.treated),
    comparison: summarize(v.comparison),
  }));
  let did: DidEstimate | null = null;
  try {
    did = differenceInDifferences(strata);
  } catch {
    did = null; // no cell has two customers on both sides
  }
  return { ...base, comparison: null, did };
}
