import {
  FEATURES,
  type CategoryExpr,
  type FeatureKey,
  type Metric,
  type NumberExpr,
} from '../features/catalog.js';
import { DEFAULT_RETAIL_LADDER } from '../tiers/aum-ladder.js';
import { addMonths, isoDateOf, periodEndDay, type Period } from '../util/dates.js';
import type { SqlDialect } from './dialect.js';
import { RuleError, parseRule, type Comparison, type Condition } from './schema.js';

/** A compiled query: SQL text with placeholders, and the values to bind, in order. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const MARK = '\u0000';

/**
 * Collects bound values while SQL is built: each value becomes a marker, and `finish` numbers
 * the markers in the order they appear in the final text. No value is ever spliced into SQL.
 */
export class Builder {
  private readonly values: unknown[] = [];
  readonly pivots = new Map<string, { column: string; k: number }>();
  readonly events = new Map<string, string>();
  readonly features = new Map<string, string>();

  /**
   * @param refs how the SQL names things: `c` the prefix of a customer column, `m` of a pivot
   *   column, `e` of an event column, `f` of a feature (`f.` in `compileRuleSql`'s feature view;
   *   `f_` where every column lives in one row, as in the pushdown's layered query).
   */
  constructor(
    readonly dialect: SqlDialect,
    readonly asOf: Period,
    readonly refs: {
      readonly c: string;
      readonly m: string;
      readonly e: string;
      readonly f: string;
    } = {
      c: 'c.',
      m: 'm.',
      e: 'e.',
      f: 'f.',
    },
  ) {}

  /** The column a feature's value is read from, and the alias it is defined under. */
  featureRef(key: string): string {
    return `${this.refs.f}${key}`;
  }
  featureAlias(key: string): string {
    return this.refs.f.endsWith('.') ? key : `${this.refs.f}${key}`;
  }

  /** The dialect's FALSE. */
  get no(): string {
    return this.dialect.false ?? 'FALSE';
  }

  param(value: unknown): string {
    this.values.push(value);
    return `${MARK}${this.values.length - 1}${MARK}`;
  }

  get end(): string {
    return this.dialect.date(this.param(isoDateOf(periodEndDay(this.asOf))));
  }

  /** The pivot column holding `column` k months before the as-of month. */
  month(column: string, k: number): string {
    const name = `m_${column}_${k}`;
    this.pivots.set(name, { column, k });
    return `${this.refs.m}${name}`;
  }

  finish(sql: string): CompiledSql {
    const params: unknown[] = [];
    const inline = this.dialect.literal;
    const text = sql.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, k: string) => {
      const value = this.values[Number(k)];
      if (inline) return inline(value);
      params.push(value);
      return this.dialect.placeholder(params.length);
    });
    return { sql: text, params };
  }
}

function numberSql(expr: NumberExpr, b: Builder): string {
  const d = b.dialect;
  if ('metric' in expr) return b.month(expr.metric, expr.k);
  if ('sum' in expr || 'mean' in expr) {
    const metric: Metric = 'sum' in expr ? expr.sum : expr.mean;
    const months = Array.from({ length: expr.months }, (_, k) => b.month(metric, k));
    const total = months.map((c) => `COALESCE(${c}, 0)`).join(' + ');
    if ('sum' in expr) return `CASE WHEN ${months[0]} IS NULL THEN NULL ELSE ${total} END`;
    const present = months.map((c) => `CASE WHEN ${c} IS NULL THEN 0 ELSE 1 END`).join(' + ');
    return `CASE WHEN (${present}) = 0 THEN NULL ELSE ${d.toDouble(`(${total})`)} / (${present}) END`;
  }
  if ('ratio' in expr || 'change' in expr) {
    const [ea, eb] = 'ratio' in expr ? expr.ratio : expr.change;
    const a = numberSql(ea, b);
    const den = numberSql(eb, b);
    // A change is (a − b) / b, not a / b − 1: one rounding instead of two, so 90k against 100k
    // is exactly −0.1 and "fell 10 % or more" includes it (a / b − 1 gives −0.09999…).
    return 'change' in expr
      ? `CASE WHEN (${den}) > 0 THEN ${d.toDouble(`((${a}) - (${den}))`)} / (${den}) END`
      : `CASE WHEN (${den}) > 0 THEN ${d.toDouble(`(${a})`)} / (${den}) END`;
  }
  if ('minus' in expr) return `(${numberSql(expr.minus[0], b)}) - (${numberSql(expr.minus[1], b)})`;
  if ('daysSince' in expr) {
    const column = expr.daysSince === 'opened' ? `${b.refs.c}opened_on` : b.month('last_txn_on', 0);
    const end = b.end;
    return `CASE WHEN ${column} IS NOT NULL AND ${d.date(column)} <= ${end} THEN ${d.daysBetween(b.end, d.date(column))} END`;
  }
  if ('age' in expr)
    return `CASE WHEN ${b.refs.c}birth_date IS NOT NULL THEN ${d.ageYears(b.end, d.date(`${b.refs.c}birth_date`))} END`;
  return `${b.refs.c}${expr.attribute}`;
}

function categorySql(expr: CategoryExpr, b: Builder): string {
  if ('attribute' in expr) return `${b.refs.c}${expr.attribute}`;
  if ('section' in expr) return b.dialect.firstChar(`${b.refs.c}${expr.section}`);
  const aum = b.month(expr.tier, 0);
  const rungs = [...DEFAULT_RETAIL_LADDER].reverse();
  const whens = rungs
    .slice(0, -1)
    .map((r) => `WHEN ${aum} >= ${b.param(r.min)} THEN ${b.param(r.id)}`)
    .join(' ');
  return `CASE WHEN ${aum} IS NULL THEN NULL ${whens} ELSE ${b.param(rungs[rungs.length - 1]?.id)} END`;
}

/** The feature view's column for a feature (added to the view on first use). */
function feature(key: FeatureKey, b: Builder): string {
  if (!b.features.has(key)) {
    const def = FEATURES[key];
    const expr =
      def.type === 'number'
        ? numberSql(def.expr, b)
        : def.type === 'category'
          ? categorySql(def.expr, b)
          : 'present' in def.expr
            ? `CASE WHEN ${b.refs.c}${def.expr.present} IS NULL THEN ${b.param(b.dialect.bool(false))} ELSE ${b.param(b.dialect.bool(true))} END`
            : `${b.refs.c}${def.expr.attribute}`;
    b.features.set(key, expr);
  }
  return b.featureRef(key);
}

const OPS: Record<Comparison, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** A leaf test that is false, never unknown, when its value is missing (see compileRule). */
function definite(test: string, b: Builder): string {
  return `COALESCE(${test}, ${b.no})`;
}

export function whereSql(rule: Condition, b: Builder): string {
  switch (rule.kind) {
    case 'and':
      return `(${rule.of.map((c) => whereSql(c, b)).join(' AND ')})`;
    case 'or':
      return `(${rule.of.map((c) => whereSql(c, b)).join(' OR ')})`;
    case 'not':
      return `(NOT ${whereSql(rule.of, b)})`;
    case 'cmp': {
      const value = typeof rule.value === 'boolean' ? b.dialect.bool(rule.value) : rule.value;
      return definite(`${feature(rule.field, b)} ${OPS[rule.op]} ${b.param(value)}`, b);
    }
    case 'between':
      return definite(
        `${feature(rule.field, b)} BETWEEN ${b.param(rule.min)} AND ${b.param(rule.max)}`,
        b,
      );
    case 'in':
      return definite(
        `${feature(rule.field, b)} IN (${rule.values.map((v) => b.param(v)).join(', ')})`,
        b,
      );
    case 'null':
      return FEATURES[rule.field].type === 'boolean' ? b.no : `${feature(rule.field, b)} IS NULL`;
    case 'event': {
      const known = [...b.events].find(([, type]) => type === rule.event)?.[0];
      const name = known ?? `e_${b.events.size}`;
      b.events.set(name, rule.event);
      b.features.set(name, `${b.refs.e}${name}`);
      return definite(
        `${b.dialect.daysBetween(b.end, b.dialect.date(b.featureRef(name)))} <= ${b.param(rule.withinDays)}`,
        b,
      );
    }
    case 'trend': {
      const key = `trend_${rule.metric}_${rule.months}`;
      if (!b.features.has(key)) {
        b.features.set(
          key,
          numberSql(
            {
              change: [
                { metric: rule.metric, k: 0 },
                { metric: rule.metric, k: rule.months },
              ],
            },
            b,
          ),
        );
      }
      return definite(`${b.featureRef(key)} ${OPS[rule.op]} ${b.param(rule.value)}`, b);
    }
  }
}

/** Options for `compileRuleSql`. */
export interface SqlOptions {
  readonly dialect: SqlDialect;
  /** The month the rule describes. */
  readonly asOf: Period;
}

/**
 * Compiles a (checked) rule to one SELECT returning the `customer_id` of every member, over
 * Strata's tables (`customers`, `monthly_metrics`, `events`). The features it reads are
 * computed in the query by the same definitions the in-memory engine uses; every value,
 * date and period is a bound parameter.
 *
 * @example
 * const { sql, params } = compileRuleSql(rule, { dialect: sqlite, asOf: '2026-10' });
 * db.prepare(sql).pluck().all(...params); // customer ids, ascending
 */
export function compileRuleSql(input: Condition, options: SqlOptions): CompiledSql {
  // Identifiers come from the catalogue, values are bound; checking the rule here as well means
  // no unchecked input ever reaches SQL text, whoever calls this.
  const checked = parseRule(input);
  if (!checked.ok) throw new RuleError(checked.issues);
  const rule = checked.rule;
  const b = new Builder(options.dialect, options.asOf);
  const where = whereSql(rule, b);
  const columns = [...b.features].map(([key, expr]) => `${expr} AS ${key}`);
  const pivots = [...b.pivots].map(
    ([name, { column, k }]) =>
      `MAX(CASE WHEN period = ${b.param(addMonths(options.asOf, -k))} THEN ${column} END) AS ${name}`,
  );
  const events = [...b.events].map(
    ([name, type]) => `MAX(CASE WHEN type = ${b.param(type)} THEN occurred_on END) AS ${name}`,
  );
  const periods = [...new Set([...b.pivots.values()].map((p) => addMonths(options.asOf, -p.k)))];
  const sql = [
    'WITH f AS (',
    `  SELECT c.id AS customer_id${columns.map((c) => `, ${c}`).join('')}`,
    '  FROM customers c',
    pivots.length > 0
      ? `  LEFT JOIN (SELECT customer_id, ${pivots.join(', ')} FROM monthly_metrics WHERE period IN (${periods.map((p) => b.param(p)).join(', ')}) GROUP BY customer_id) m ON m.customer_id = c.id`
      : '',
    events.length > 0
      ? `  LEFT JOIN (SELECT customer_id, ${events.join(', ')} FROM events WHERE ${b.dialect.date('occurred_on')} <= ${b.end} GROUP BY customer_id) e ON e.customer_id = c.id`
      : '',
    `  WHERE ${b.dialect.date('c.linked_on')} <= ${b.end}`,
    ')',
    `SELECT f.customer_id FROM f WHERE ${where} ORDER BY f.customer_id`,
  ]
    .filter(Boolean)
    .join('\n');
  return b.finish(sql);
}
