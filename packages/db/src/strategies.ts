import {
  canTransition,
  strategyDefinitionSchema,
  type StrategyDefinition,
  type StrategyStatus,
} from '@strata/core';
import { appendAudit } from './audit.js';
import { deepFreeze } from './freeze.js';
import type { StrataDb } from './types.js';

/** A strategy with the definition of one of its versions. */
export interface StrategyRow {
  readonly id: number;
  readonly key: string;
  readonly status: StrategyStatus;
  readonly currentVersion: number;
  /** The version `definition` is. */
  readonly version: number;
  readonly definition: StrategyDefinition;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A refused change to a strategy, with the reason. */
export class StrategyError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST',
  ) {
    super(message);
  }
}

interface Who {
  readonly actor: string;
  readonly origin?: string | null;
  readonly now?: Date;
}

const parse = (definition: unknown): StrategyDefinition =>
  strategyDefinitionSchema.parse(definition);

/** One strategy at its current version (or at `version`), or undefined. */
export function getStrategy(db: StrataDb, key: string, version?: number): StrategyRow | undefined {
  const row = db.sqlite
    .prepare(
      `SELECT s.id, s.key, s.status, s.current_version AS currentVersion, v.version,
         s.created_by AS createdBy, s.created_at AS createdAt, s.updated_at AS updatedAt
       FROM strategies s JOIN strategy_versions v ON v.strategy_id = s.id
       WHERE s.key = ? AND v.version = coalesce(?, s.current_version)`,
    )
    .get(key, version ?? null) as Omit<StrategyRow, 'definition'> | undefined;
  return row ? withDefinition(db, row) : undefined;
}

/** A strategy row with its version's checked definition. */
function withDefinition(db: StrataDb, row: Omit<StrategyRow, 'definition'>): StrategyRow {
  // A version never changes once written: its checked definition is kept per database.
  const versions = definitionCache.get(db) ?? new Map<string, StrategyDefinition>();
  definitionCache.set(db, versions);
  const cacheKey = `${row.id}:${row.version}`;
  let definition = versions.get(cacheKey);
  if (!definition) {
    const text = db.sqlite
      .prepare('SELECT definition FROM strategy_versions WHERE strategy_id = ? AND version = ?')
      .pluck()
      .get(row.id, row.version) as string;
    definition = deepFreeze(parse(JSON.parse(text)));
    versions.set(cacheKey, definition);
    if (versions.size > 1_000) versions.delete(versions.keys().next().value as string);
  }
  return { ...row, definition };
}

const definitionCache = new WeakMap<StrataDb, Map<string, StrategyDefinition>>();

/** Every strategy at its current version, by key. */
export function listStrategies(db: StrataDb): StrategyRow[] {
  // One query, not one per strategy: the strategy map asks on every call.
  const rows = db.sqlite
    .prepare(
      `SELECT s.id, s.key, s.status, s.current_version AS currentVersion, v.version,
         s.created_by AS createdBy, s.created_at AS createdAt, s.updated_at AS updatedAt
       FROM strategies s JOIN strategy_versions v ON v.strategy_id = s.id AND v.version = s.current_version
       ORDER BY s.key`,
    )
    .all() as Omit<StrategyRow, 'definition'>[];
  return rows.map((row) => withDefinition(db, row));
}

/** The versions of a strategy, oldest first: who made each and when. */
export function listStrategyVersions(
  db: StrataDb,
  key: string,
): { version: number; createdBy: string; createdAt: string }[] {
  return db.sqlite
    .prepare(
      `SELECT v.version, v.created_by AS createdBy, v.created_at AS createdAt
       FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = ? ORDER BY v.version`,
    )
    .all(key) as { version: number; createdBy: string; createdAt: string }[];
}

/** Creates a strategy as a draft, version 1; audited. The definition is checked first. */
export function createStrategy(
  db: StrataDb,
  key: string,
  definition: unknown,
  who: Who,
): StrategyRow {
  const checked = parse(definition);
  const at = (who.now ?? new Date()).toISOString();
  db.sqlite.transaction(() => {
    if (db.sqlite.prepare('SELECT 1 FROM strategies WHERE key = ?').get(key))
      throw new StrategyError(`A strategy with key "${key}" exists.`, 'CONFLICT');
    const id = Number(
      db.sqlite
        .prepare(
          "INSERT INTO strategies (key, status, current_version, created_by, created_at, updated_at) VALUES (?, 'draft', 1, ?, ?, ?)",
        )
        .run(key, who.actor, at, at).lastInsertRowid,
    );
    db.sqlite
      .prepare(
        'INSERT INTO strategy_versions (strategy_id, version, definition, created_by, created_at) VALUES (?, 1, ?, ?, ?)',
      )
      .run(id, JSON.stringify(checked), who.actor, at);
    appendAudit(
      db,
      {
        actor: who.actor,
        action: 'strategy.create',
        target: `strategy:${key}`,
        detail: { version: 1, name: checked.name },
        origin: who.origin ?? null,
      },
      who.now,
    );
  })();
  return getStrategy(db, key) as StrategyRow;
}

/**
 * Edits a strategy: a new version with the new definition (the old ones stay, for the lists and
 * results made with them). An edit that changes nothing makes no version. Audited.
 */
export function updateStrategy(
  db: StrataDb,
  key: string,
  definition: unknown,
  who: Who,
): StrategyRow {
  const checked = parse(definition);
  const at = (who.now ?? new Date()).toISOString();
  return db.sqlite.transaction(() => {
    const current = getStrategy(db, key);
    if (!current) throw new StrategyError(`No strategy "${key}".`, 'NOT_FOUND');
    if (current.status === 'retired')
      throw new StrategyError(
        `Strategy "${key}" is retired: copy it under a new key instead.`,
        'CONFLICT',
      );
    if (JSON.stringify(current.definition) === JSON.stringify(checked)) return current;
    const version = current.currentVersion + 1;
    db.sqlite
      .prepare(
        'INSERT INTO strategy_versions (strategy_id, version, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(current.id, version, JSON.stringify(checked), who.actor, at);
    db.sqlite
      .prepare('UPDATE strategies SET current_version = ?, updated_at = ? WHERE id = ?')
      .run(version, at, current.id);
    appendAudit(
      db,
      {
        actor: who.actor,
        action: 'strategy.update',
        target: `strategy:${key}`,
        detail: { version },
        origin: who.origin ?? null,
      },
      who.now,
    );
    return getStrategy(db, key) as StrategyRow;
  })();
}

/** Moves a strategy along draft → active ⇄ paused → retired; audited. */
export function setStrategyStatus(
  db: StrataDb,
  key: string,
  status: StrategyStatus,
  who: Who,
): StrategyRow {
  const at = (who.now ?? new Date()).toISOString();
  return db.sqlite.transaction(() => {
    const current = getStrategy(db, key);
    if (!current) throw new StrategyError(`No strategy "${key}".`, 'NOT_FOUND');
    if (current.status === status) return current;
    if (!canTransition(current.status, status))
      throw new StrategyError(
        `Strategy "${key}" cannot go from ${current.status} to ${status}.`,
        'CONFLICT',
      );
    db.sqlite
      .prepare('UPDATE strategies SET status = ?, updated_at = ? WHERE id = ?')
      .run(status, at, current.id);
    appendAudit(
      db,
      {
        actor: who.actor,
        action: 'strategy.status',
        target: `strategy:${key}`,
        detail: { from: current.status, to: status, version: current.currentVersion },
        origin: who.origin ?? null,
      },
      who.now,
    );
    return getStrategy(db, key) as StrategyRow;
  })();
}
