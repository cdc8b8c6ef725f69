import type { InsightConfig } from '../insight/config.js';
import { LIFECYCLE_REASONS, type LifecycleReason } from '../lifecycle/evaluate.js';
import { NEVER, NOT_LINKED } from '../lifecycle/frame.js';
import { stageCode, type LifecycleStage } from '../lifecycle/stages.js';
import { Builder, whereSql, type CompiledSql } from '../rules/sql.js';
import { parseRule, RuleError, type Condition } from '../rules/schema.js';
import type { SqlDialect } from '../rules/dialect.js';
import type { TierRung } from '../tiers/aum-ladder.js';
import { NO_TIER } from '../tiers/ladder.js';
import { addMonths, periodEndDay, periodStartDay, type Period } from '../util/dates.js';

/** What the pushdown evaluates: the parts of an insight configuration that are per customer. */
export type PushdownConfig = Pick<
  InsightConfig,
  'lifecycle' | 'retailLadder' | 'corporateLadder' | 'downgradeMonths' | 'riskTiers' | 'segments'
>;

/** Options for `compileTagsSql`. */
export interface PushdownOptions {
  readonly dialect: SqlDialect;
  /** The month refreshed. */
  readonly asOf: Period;
  /** The months with data, oldest first (the lifecycle and tier history start at the first). */
  readonly periods: readonly Period[];
}

/**
 * The columns a tags query returns, one row per customer: `customer_id`; `placed` (the
 * lifecycle stage code | reason code << 4, or 255 when the customer was not yet known) and
 * `previous` (the same for the month before); the rung codes `aum_tier`, `corporate_tier`,
 * `risk_tier` (255: none); `value`, the month's AUM (retail) or deposits (corporate), NULL if
 * none, which the aggregates sum; and `m0`, `m1`, … — segment memberships as bits, 30 segments
 * to a column: segment k is bit k % 30 of column m⌊k / 30⌋.
 */
export interface TagsQuery extends CompiledSql {
  /** The segment keys, in the order of their bits in the `m<c>` columns. */
  readonly segments: readonly string[];
}

/** The monthly columns the lifecycle and the ladders read, for every month. */
const HISTORY = ['aum_avg', 'deposits_avg', 'txn_in_amount', 'txn_out_amount', 'product_types'];
/** The customer columns read besides those the rules name. */
const CUSTOMER = ['kind', 'linked_on', 'opened_on', 'closed_on', 'funded_on'];
const EPS = 1e-9;

const S = (stage: LifecycleStage) => stageCode(stage);
const R = (reason: LifecycleReason) => LIFECYCLE_REASONS.indexOf(reason);

/** The rung of a value on a ladder, as SQL (the highest rung whose minimum it reaches). */
function rungSql(value: string, ladder: readonly TierRung[], b: Builder): string {
  if (ladder.length <= 1) return '0';
  const whens = ladder
    .map((rung, k) => ({ rung, k }))
    .slice(1)
    .reverse()
    .map(({ rung, k }) => `WHEN ${value} >= ${b.param(rung.min)} THEN ${k}`)
    .join(' ');
  return `CASE ${whens} ELSE 0 END`;
}

/** Checks a rule as `compileRuleSql` does: no unchecked input reaches SQL text. */
function checked(rule: Condition): Condition {
  const check = parseRule(rule);
  if (!check.ok) throw new RuleError(check.issues);
  return check.rule;
}

/**
 * Compiles the per-customer part of an insight refresh — lifecycle stage (with the month
 * before), retail and corporate value tiers with hysteresis, risk tiers and every rule
 * segment's membership — to one SELECT over Strata's tables (`customers`, `monthly_metrics`,
 * `events`), so a database or warehouse evaluates it where the data lives. The SQL follows
 * the in-memory engine rule by rule (`evaluateLifecycle`, `ladderWithHysteresis`,
 * `tiersByRules`, `compileRule`) and gives the same codes.
 *
 * The query is layered: one row per customer with the months pivoted into columns (one
 * GROUP BY over the months and events, joined to the customers), then one derived table per
 * month carrying the lifecycle and hysteresis state forward (win-back needs the stage of the
 * month before, and a tier moves down only after months below), then the tags. Only the
 * dialect's functions differ between databases.
 *
 * @example
 * const q = compileTagsSql(DEFAULT_INSIGHT_CONFIG, { dialect: duckdb, asOf: '2026-10', periods });
 * // q.sql, q.params; columns customer_id, placed, previous, aum_tier, corporate_tier, risk_tier,
 * // value, m0…
 */
export function compileTagsSql(config: PushdownConfig, options: PushdownOptions): TagsQuery {
  const { dialect: d, asOf } = options;
  const last = options.periods.indexOf(asOf);
  if (last < 0) throw new RangeError(`No monthly data for ${asOf}`);
  const periods = options.periods.slice(0, last + 1);
  const T = periods.length - 1;
  if (!Number.isInteger(config.downgradeMonths) || config.downgradeMonths < 1)
    throw new RangeError('downgradeMonths must be a whole number ≥ 1');

  const b = new Builder(d, asOf, { c: 'c_', m: '', e: '', f: 'f_' });
  // Rules first: they add the features, pivots and events the base layer must carry.
  const riskTiers = config.riskTiers.map((tier) =>
    tier.rule === undefined ? null : whereSql(checked(tier.rule), b),
  );
  const segments = config.segments.map((s) => whereSql(checked(s.rule), b));
  // The history every month: k months before the as-of month is pivot m_<column>_<k>.
  const monthly = (column: string, t: number) => b.month(column, T - t);
  const lastTxn = periods.map((_, t) => monthly('last_txn_on', t));
  const history = Object.fromEntries(
    HISTORY.map((column) => [column, periods.map((_, t) => monthly(column, t))]),
  ) as Record<string, string[]>;

  // Base layer: customers joined to their months and events, one row each.
  // The customer columns the rules read are the features' `c_<column>` references.
  const customerColumns = new Set(CUSTOMER);
  for (const expr of b.features.values())
    for (const m of expr.matchAll(/\bc_([a-z0-9_]+)/g)) customerColumns.add(m[1] as string);
  const metricColumns = [...new Set([...b.pivots.values()].map((p) => p.column))];
  const pivotPeriods = [...new Set([...b.pivots.values()].map((p) => addMonths(asOf, -p.k)))];
  const end = b.end;
  const union = [
    `SELECT customer_id, ${d.nullable('period', 'text')} AS period, ${metricColumns
      .map((c) => `${d.nullable(c, c === 'last_txn_on' ? 'date' : 'double')} AS ${c}`)
      .join(', ')}${
      b.events.size > 0
        ? `, ${d.nullable('NULL', 'text')} AS type, ${d.nullable('NULL', 'date')} AS occurred_on`
        : ''
    } FROM monthly_metrics WHERE period IN (${pivotPeriods.map((p) => b.param(p)).join(', ')})`,
    b.events.size > 0
      ? `SELECT customer_id, ${d.nullable('NULL', 'text')} AS period, ${metricColumns
          .map((c) => `${d.nullable('NULL', c === 'last_txn_on' ? 'date' : 'double')} AS ${c}`)
          .join(
            ', ',
          )}, ${d.nullable('type', 'text')} AS type, ${d.nullable('occurred_on', 'date')} AS occurred_on FROM events WHERE ${d.date('occurred_on')} <= ${end}`
      : '',
  ].filter(Boolean);
  const pivotColumns = [
    ...[...b.pivots].map(
      ([name, { column, k }]) =>
        `MAX(CASE WHEN period = ${b.param(addMonths(asOf, -k))} THEN ${column} END) AS ${name}`,
    ),
    ...[...b.events].map(
      ([name, type]) => `MAX(CASE WHEN type = ${b.param(type)} THEN occurred_on END) AS ${name}`,
    ),
  ];
  const pivot = `SELECT customer_id AS id, ${pivotColumns.join(', ')} FROM (${union.join(' UNION ALL ')}) u GROUP BY customer_id`;
  const base = d.joinPivot([...customerColumns], pivot, [...b.pivots.keys(), ...b.events.keys()]);

  // Features layer: day numbers (NEVER for none), the months as the engine reads them, the
  // raw rungs, and the rules' features.
  const day = (date: string) => `COALESCE(${d.dayNumber(date)}, ${NEVER})`;
  const features = [
    `CASE WHEN c_kind = ${b.param('retail')} THEN 1 ELSE 0 END AS x_retail`,
    `${day('c_linked_on')} AS x_linked`,
    `${day('c_opened_on')} AS x_opened`,
    `${day('c_closed_on')} AS x_closed`,
    `${day('c_funded_on')} AS x_funded`,
    ...periods.flatMap((_, t) => {
      const aum = history.aum_avg?.[t] as string;
      const deposits = history.deposits_avg?.[t] as string;
      return [
        `COALESCE(${aum}, 0) AS x_aum_${t}`,
        `COALESCE(${history.txn_in_amount?.[t]}, 0) - COALESCE(${history.txn_out_amount?.[t]}, 0) AS x_flow_${t}`,
        `COALESCE(${history.product_types?.[t]}, 0) AS x_prod_${t}`,
        `${day(lastTxn[t] as string)} AS x_txn_${t}`,
        `CASE WHEN c_kind = ${b.param('retail')} AND ${aum} IS NOT NULL THEN ${rungSql(aum, config.retailLadder, b)} END AS x_rr_${t}`,
        `CASE WHEN c_kind <> ${b.param('retail')} AND ${deposits} IS NOT NULL THEN ${rungSql(deposits, config.corporateLadder, b)} END AS x_cr_${t}`,
      ];
    }),
    ...[...b.features].map(([key, expr]) => `${expr} AS ${b.featureAlias(key)}`),
  ];
  const fence = d.fence ?? ' OFFSET 0';
  let sql = `SELECT *, ${features.join(', ')} FROM (${base}${fence}) l0`;

  // One layer per month: the lifecycle placement, and each ladder's hysteresis state
  // (current rung, months below it, best rung in those months).
  const windowStart = periodStartDay(periods[0] as string);
  for (let t = 0; t <= T; t++) {
    const period = periods[t] as string;
    const e = periodEndDay(period);
    const columns = [
      `${placeSql(t, e, periodStartDay(period), windowStart, periods, config, b)} AS x_st_${t}`,
      ...hysteresisSql('rr', t, config.downgradeMonths),
      ...hysteresisSql('cr', t, config.downgradeMonths),
    ];
    sql = `SELECT *, ${columns.join(', ')} FROM (${sql}${fence}) l${t + 1}`;
  }

  const eT = periodEndDay(asOf);
  const universe = `x_linked <= ${eT}`;
  const risk = riskTiers.map((where, k) => `WHEN ${where ?? '1 = 1'} THEN ${k}`).join(' ');
  const tags = [
    'customer_id',
    `x_st_${T} AS placed`,
    T > 0 ? `x_st_${T - 1} AS previous` : `${NOT_LINKED} AS previous`,
    `CASE WHEN ${universe} THEN x_rr_s_${T} ELSE ${NO_TIER} END AS aum_tier`,
    `CASE WHEN ${universe} THEN x_cr_s_${T} ELSE ${NO_TIER} END AS corporate_tier`,
    `CASE WHEN NOT (${universe}) THEN ${NO_TIER} ${risk} ELSE ${NO_TIER} END AS risk_tier`,
    // the value the aggregates sum: the month's AUM (retail) or deposits (corporate), if any
    `CASE WHEN x_retail = 1 THEN ${history.aum_avg?.[T]} ELSE ${history.deposits_avg?.[T]} END AS value`,
    // Memberships as bits, 30 segments to a column (m0, m1, …): a fraction of the bytes.
    ...Array.from({ length: Math.ceil(segments.length / 30) }, (_, c) =>
      segments
        .slice(c * 30, c * 30 + 30)
        .map((where, k) => `CASE WHEN ${universe} AND ${where} THEN ${2 ** k} ELSE 0 END`)
        .join(' + ')
        .concat(` AS m${c}`),
    ),
  ];
  const query = b.finish(
    `SELECT ${tags.join(', ')} FROM (${sql}${fence}) tags_source ORDER BY customer_id`,
  );
  return { ...query, segments: config.segments.map((s) => s.key) };
}

/** One ladder's hysteresis state after month t, from the state after t − 1 (`ladderWithHysteresis`). */
function hysteresisSql(line: 'rr' | 'cr', t: number, n: number): string[] {
  const raw = `x_${line}_${t}`;
  const [cur, below, best] =
    t === 0
      ? [String(NO_TIER), '0', '0']
      : [`x_${line}_s_${t - 1}`, `x_${line}_b_${t - 1}`, `x_${line}_x_${t - 1}`];
  const up = `${cur} = ${NO_TIER} OR ${raw} > ${cur}`;
  const newBest = `CASE WHEN ${below} = 0 THEN ${raw} WHEN ${raw} > ${best} THEN ${raw} ELSE ${best} END`;
  const down = `${below} + 1 >= ${n}`;
  return [
    `CASE WHEN ${raw} IS NULL THEN ${cur} WHEN ${up} THEN ${raw} WHEN ${raw} < ${cur} THEN (CASE WHEN ${down} THEN ${newBest} ELSE ${cur} END) ELSE ${cur} END AS x_${line}_s_${t}`,
    `CASE WHEN ${raw} IS NULL THEN ${below} WHEN ${up} THEN 0 WHEN ${raw} < ${cur} THEN (CASE WHEN ${down} THEN 0 ELSE ${below} + 1 END) ELSE 0 END AS x_${line}_b_${t}`,
    `CASE WHEN ${raw} IS NULL THEN ${best} WHEN ${up} THEN ${best} WHEN ${raw} < ${cur} THEN ${newBest} ELSE ${best} END AS x_${line}_x_${t}`,
  ];
}

/**
 * The lifecycle placement of month t (stage | reason << 4; 255 before the customer was known),
 * `classify` in `evaluateLifecycle` as one CASE: the first rule that matches wins.
 */
function placeSql(
  t: number,
  e: number,
  start: number,
  windowStart: number,
  periods: readonly Period[],
  config: PushdownConfig,
  b: Builder,
): string {
  const lc = config.lifecycle;
  const p = (stage: LifecycleStage, reason: LifecycleReason) => String(S(stage) | (R(reason) << 4));
  const aum = `x_aum_${t}`;
  const funded = `${aum} > ${b.param(lc.zeroAum)}`;
  // Funded before the window, or above zero in an earlier month the customer was known in.
  const everFunded = [
    `x_funded < ${windowStart}`,
    ...periods
      .slice(0, t)
      .map(
        (period, k) =>
          `(x_linked <= ${periodEndDay(period)} AND x_aum_${k} > ${b.param(lc.zeroAum)})`,
      ),
  ].join(' OR ');
  const previous = t === 0 ? null : `x_st_${t - 1}`;
  const txn = `x_txn_${t}`;
  const active = `${txn} <> ${NEVER} AND ${txn} >= ${start}`;
  const idle = `CASE WHEN ${txn} = ${NEVER} THEN x_opened ELSE ${txn} END`;
  const base = Math.max(0, t - lc.trendMonths);
  const aumBase = `x_aum_${base}`;
  const readable =
    t > 0
      ? `(${aum} >= ${b.param(lc.trendMinAum)} OR ${aumBase} >= ${b.param(lc.trendMinAum)})`
      : null;
  const change = `${b.dialect.toDouble(`(${aum} - ${aumBase})`)} / ${aumBase}`;
  const rules: [string, string][] = [
    [`x_closed <> ${NEVER} AND x_closed <= ${e}`, p('churned', 'closed')],
    [`x_opened = ${NEVER} OR x_opened > ${e}`, p('prospect', 'no_debit_account')],
    [`NOT (${funded}) AND (${everFunded})`, p('churned', 'zero_aum')],
    [
      `NOT (${funded})`,
      `CASE WHEN ${e} - x_opened <= ${b.param(lc.onboardingDays)} THEN ${p('onboarding', 'new_customer')} ELSE ${p('prospect', 'never_funded')} END`,
    ],
  ];
  if (previous)
    rules.push([
      `(${previous} % 16 = ${S('churned')} OR ${previous} % 16 = ${S('dormant')}) AND ${previous} <> ${NOT_LINKED} AND ${active}`,
      p('winback', 'reactivated'),
    ]);
  rules.push(
    [`${e} - (${idle}) >= ${b.param(lc.dormantDays)}`, p('dormant', 'no_recent_txn')],
    [`${e} - x_opened <= ${b.param(lc.onboardingDays)}`, p('onboarding', 'new_customer')],
    [`${e} - x_opened <= ${b.param(lc.honeymoonDays)}`, p('honeymoon', 'honeymoon_tenure')],
  );
  if (readable)
    rules.push([
      `${readable} AND ${aumBase} > 0 AND ${change} <= ${b.param(-lc.declineDrop + EPS)}`,
      p('declining', 'aum_drop'),
    ]);
  if (t + 1 >= lc.outflowMonths) {
    const ks = Array.from({ length: lc.outflowMonths }, (_, j) => t - lc.outflowMonths + 1 + j);
    const streak = ks.map((k) => `x_flow_${k} < 0`).join(' AND ');
    const outflow = ks.reduce((sum, k) => `(${sum} - x_flow_${k})`, '0');
    rules.push([
      `${aumBase} > 0 AND ${streak} AND ${outflow} >= (${b.param(lc.outflowMinShare)} * ${aumBase}) * ${b.param(1 - EPS)}`,
      p('declining', 'sustained_outflow'),
    ]);
  }
  if (readable)
    rules.push([
      `${readable} AND (${aumBase} <= 0 OR ${change} >= ${b.param(lc.growthRise - EPS)})`,
      p('growth', 'aum_rise'),
    ]);
  if (t > 0)
    rules.push([
      `${rungSql(aum, lc.ladder, b)} > ${rungSql(aumBase, lc.ladder, b)}`,
      p('growth', 'tier_upgrade'),
    ]);
  const stable = readable
    ? `(NOT ${readable} OR (${aumBase} > 0 AND abs(${change}) <= ${b.param(lc.stableBand + EPS)}))`
    : '1 = 1';
  rules.push([
    `${stable} AND x_prod_${t} >= ${b.param(lc.matureProducts)}`,
    p('mature', 'stable_deep'),
  ]);
  const whens = rules.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(' ');
  return `CASE WHEN x_linked > ${e} THEN ${NOT_LINKED} ${whens} ELSE ${p(lc.fallbackStage, 'fallback')} END`;
}
