import {
  STARTER_SEGMENTS,
  compileRuleSql,
  isoDateOf,
  periodEndDay,
  type Condition,
  type Period,
} from '@strata/core';
import { ruleDialect } from '../dialect.js';
import { asc, eq } from 'drizzle-orm';
import { segments } from '../schema/index.js';
import type { StrataDb } from '../types.js';
import { scopeCondition, type Scope } from './customers.js';

/** A saved segment as stored (rule still JSON text). */
export interface SegmentRow {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly nameEn: string;
  readonly description: string;
  readonly rule: string;
  readonly priority: number;
  readonly exclusive: boolean;
  readonly createdAt: string;
}

const columns = {
  id: segments.id,
  key: segments.key,
  name: segments.name,
  nameEn: segments.nameEn,
  description: segments.description,
  rule: segments.rule,
  priority: segments.priority,
  exclusive: segments.exclusive,
  createdAt: segments.createdAt,
};

/** Every saved segment, by priority then key. */
export function listSegments(db: StrataDb): SegmentRow[] {
  return db.orm
    .select(columns)
    .from(segments)
    .orderBy(asc(segments.priority), asc(segments.key))
    .all();
}

/** One segment by key, or undefined. */
export function getSegmentByKey(db: StrataDb, key: string): SegmentRow | undefined {
  return db.orm.select(columns).from(segments).where(eq(segments.key, key)).get();
}

/** What a new segment needs. */
export type NewSegment = Omit<SegmentRow, 'id' | 'createdAt'>;

/** Saves a new segment and returns it; a duplicate key throws (SQLite UNIQUE). */
export function insertSegment(db: StrataDb, segment: NewSegment, now: Date): SegmentRow {
  return db.orm
    .insert(segments)
    .values({ ...segment, createdAt: now.toISOString() })
    .returning(columns)
    .get();
}

/** Saves the starter segment library (core's `STARTER_SEGMENTS`), as a strategy team begins. */
export function insertStarterSegments(db: StrataDb, now: Date): void {
  for (const { key, name, description, rule, priority, exclusive } of STARTER_SEGMENTS)
    insertSegment(
      db,
      {
        key,
        name: name['zh-CN'],
        nameEn: name.en,
        description: description['zh-CN'],
        rule: JSON.stringify(rule),
        priority,
        exclusive,
      },
      now,
    );
}

/**
 * Changes a saved segment's names, description, rule, priority or exclusivity (its key stays);
 * undefined when there is no such segment. It applies from the next refresh; earlier runs keep
 * the segments they ran with.
 */
export function updateSegment(
  db: StrataDb,
  key: string,
  change: Omit<NewSegment, 'key'>,
): SegmentRow | undefined {
  return db.orm.update(segments).set(change).where(eq(segments.key, key)).returning(columns).get();
}

/** A member shown in a segment preview: no personal data. */
export interface SegmentSampleRow {
  readonly externalId: string;
  readonly kind: 'retail' | 'corporate';
  readonly branch: string;
  readonly branchEn: string;
  readonly aum: number | null;
}

/** How many customers a rule selects in a month, out of how many, and a few of them. */
export interface SegmentPreview {
  readonly count: number;
  readonly universe: number;
  readonly sample: readonly SegmentSampleRow[];
  readonly elapsedMs: number;
}

/**
 * Runs a (checked) rule as SQL on the database: the count, the customers known that month, and
 * the first `limit` members by id.
 */
export function getSegmentPreview(
  db: StrataDb,
  rule: Condition,
  asOf: Period,
  limit = 10,
  scope?: Scope,
): SegmentPreview {
  const started = performance.now();
  const { sql, params } = compileRuleSql(rule, { dialect: ruleDialect(db), asOf });
  // the caller's scope, in the query: a branch sees its subtree, an RM their own customers
  const where = scope ? scopeCondition(scope) : { sql: '1 = 1', params: [] };
  const count = db.sqlite
    .prepare(
      `SELECT count(*) FROM (${sql}) s JOIN customers c ON c.id = s.customer_id JOIN org_units u ON u.id = c.org_unit_id WHERE ${where.sql}`,
    )
    .pluck()
    .get(...params, ...where.params) as number;
  const end = isoDateOf(periodEndDay(asOf));
  const universe = db.sqlite
    .prepare(
      `SELECT count(*) FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.linked_on <= ? AND ${where.sql}`,
    )
    .pluck()
    .get(end, ...where.params) as number;
  const sample = db.sqlite
    .prepare(
      `SELECT c.external_id AS externalId, c.kind AS kind, b.name AS branch, b.name_en AS branchEn, m.aum_avg AS aum
       FROM (${sql}) s
       JOIN customers c ON c.id = s.customer_id
       JOIN org_units u ON u.id = c.org_unit_id
       JOIN org_units b ON b.id = u.parent_id
       LEFT JOIN monthly_metrics m ON m.customer_id = c.id AND m.period = ?
       WHERE ${where.sql}
       ORDER BY c.id LIMIT ?`,
    )
    .all(...params, asOf, ...where.params, limit) as SegmentSampleRow[];
  return { count, universe, sample, elapsedMs: Math.round(performance.now() - started) };
}
