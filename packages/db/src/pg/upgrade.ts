import type { PostgresConnection } from './connection.js';
import type { PostgresSchema } from './schema.js';

/** What a PostgreSQL database holds now, in Strata's schema. */
export interface PresentSchema {
  readonly tables: ReadonlySet<string>;
  /** Table → column → type (information_schema's name). */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly indexes: ReadonlyMap<string, string>;
  readonly constraints: ReadonlyMap<string, string>;
  readonly triggers: ReadonlyMap<string, string>;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Reads the tables, columns, indexes, foreign keys and triggers of the current schema. */
export function readPresentSchema(connection: PostgresConnection): PresentSchema {
  const rows = (sql: string) => connection.prepare(sql).raw().all() as string[][];
  const tables = new Set(
    rows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'strata_schema'",
    ).map((r) => r[0] as string),
  );
  const columns = new Map<string, Map<string, string>>();
  for (const [table, column, type] of rows(
    'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()',
  )) {
    const of = columns.get(table as string) ?? new Map<string, string>();
    of.set(column as string, type as string);
    columns.set(table as string, of);
  }
  const named = (sql: string) => new Map(rows(sql).map((r) => [r[0] as string, r[1] as string]));
  return {
    tables,
    columns,
    indexes: named(
      'SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()',
    ),
    constraints: named(
      "SELECT constraint_name, table_name FROM information_schema.table_constraints WHERE constraint_schema = current_schema() AND constraint_type = 'FOREIGN KEY'",
    ),
    triggers: named(
      'SELECT DISTINCT trigger_name, event_object_table FROM information_schema.triggers WHERE trigger_schema = current_schema()',
    ),
  };
}

/** Why a database cannot be brought to this Strata's schema. Nothing was changed. */
export class SchemaUpgradeError extends Error {}

/**
 * The statements that bring `present` to `wanted`: what the SQLite migrations added since (tables,
 * columns, indexes, foreign keys, triggers) is created, what they dropped is dropped. A column
 * whose type changed is refused: no migration so far has done that, and guessing a conversion
 * could lose data. (No migration carries data changes either; one that does will need its own
 * PostgreSQL step here.)
 */
export function upgradePlan(wanted: PostgresSchema, present: PresentSchema): string[] {
  const plan: string[] = [];
  const tables = new Set(wanted.parts.filter((p) => p.kind === 'table').map((p) => p.name));
  for (const table of present.tables)
    if (!tables.has(table))
      plan.push(
        `DROP TABLE ${q(table)} CASCADE`,
        `DROP FUNCTION IF EXISTS ${q(`${table}_row_id`)}()`,
      );
  const wantedNames = {
    index: new Set<string>(),
    'foreign key': new Set<string>(),
    trigger: new Set<string>(),
  };
  for (const part of wanted.parts) {
    const existed = present.tables.has(part.table);
    switch (part.kind) {
      case 'table':
        if (!existed) plan.push(...part.create);
        break;
      case 'column': {
        if (!existed) break; // created with its table
        const type = present.columns.get(part.table)?.get(part.name);
        if (type === undefined) plan.push(...part.create);
        else if (type !== part.type)
          throw new SchemaUpgradeError(
            `${part.table}.${part.name} is ${type} in this database but ${part.type} in this Strata; changing a column's type is not supported.`,
          );
        break;
      }
      case 'index':
      case 'foreign key':
      case 'trigger': {
        wantedNames[part.kind].add(part.name);
        const have =
          part.kind === 'index'
            ? present.indexes
            : part.kind === 'trigger'
              ? present.triggers
              : present.constraints;
        if (!have.has(part.name) || !existed) plan.push(...part.create);
        break;
      }
    }
  }
  for (const [table, columns] of present.columns) {
    if (!tables.has(table)) continue;
    const kept = new Set(wanted.tables.get(table) ?? []);
    for (const column of columns.keys())
      if (!kept.has(column)) plan.push(`ALTER TABLE ${q(table)} DROP COLUMN ${q(column)}`);
  }
  for (const [index, table] of present.indexes)
    if (tables.has(table) && !wantedNames.index.has(index) && index !== `${table}_pkey`)
      plan.push(`DROP INDEX ${q(index)}`);
  for (const [constraint, table] of present.constraints)
    if (tables.has(table) && !wantedNames['foreign key'].has(constraint))
      plan.push(`ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(constraint)}`);
  for (const [trigger, table] of present.triggers)
    if (tables.has(table) && !wantedNames.trigger.has(trigger) && trigger !== `${table}_row_id`)
      plan.push(`DROP TRIGGER ${q(trigger)} ON ${q(table)}`);
  return plan;
}
