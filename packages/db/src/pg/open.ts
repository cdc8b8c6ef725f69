import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../schema/index.js';
import type { StrataDb } from '../types.js';
import { PostgresConnection } from './connection.js';
import { WRITER_LOCK } from './dialect.js';
import { postgresSchema, type PostgresSchema } from './schema.js';
import { readPresentSchema, upgradePlan } from './upgrade.js';

/** The schema derived from each migrations folder, once per process. */
const schemas = new Map<string, PostgresSchema>();

/** Is this a PostgreSQL connection URL (rather than a SQLite file)? */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens Strata's database on PostgreSQL: creates the schema in an empty database, or brings one
 * made by an earlier Strata to this one's (`upgradePlan`) — in one transaction, under the
 * writers' lock. The handle is the same `StrataDb` as on SQLite (drizzle's better-sqlite3
 * driver over `PostgresConnection`).
 */
export function openPostgres(
  url: string,
  migrationsFolder: string,
  options: { migrate?: boolean } = {},
): StrataDb {
  const connection = new PostgresConnection(url);
  try {
    const sqlite = connection.asDatabase();
    const wanted = schemas.get(migrationsFolder) ?? postgresSchema(migrationsFolder);
    schemas.set(migrationsFolder, wanted);
    connection.indexes = wanted.indexOrders;
    const version = (): string | undefined =>
      (sqlite
        .prepare(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'strata_schema'",
        )
        .pluck()
        .get() as number) > 0
        ? (sqlite.prepare('SELECT version FROM strata_schema').pluck().get() as string | undefined)
        : undefined;
    const found = version();
    if (found !== wanted.version) {
      if (options.migrate === false)
        throw new Error(
          found === undefined
            ? `${connection.name} holds no Strata schema.`
            : `${connection.name} holds Strata schema ${found}; this Strata's is ${wanted.version}.`,
        );
      // the DDL is PostgreSQL's already: sent as it is, not through the SQLite rewriting; under
      // the writers' lock, so two processes starting at once do it once
      const ddl = (sql: string) => connection.call({ op: 'exec', sql });
      ddl(`BEGIN; ${WRITER_LOCK}`);
      try {
        const now = version();
        if (now === undefined) {
          const tables = sqlite
            .prepare(
              'SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()',
            )
            .pluck()
            .get() as number;
          if (tables > 0)
            throw new Error(
              `${connection.name} already holds ${tables} tables but no Strata schema: give Strata a database (or schema) of its own.`,
            );
          for (const statement of wanted.statements) ddl(statement);
          ddl('CREATE TABLE strata_schema (version text NOT NULL)');
          ddl(`INSERT INTO strata_schema VALUES ('${wanted.version}')`);
        } else if (now !== wanted.version) {
          // a database made by an earlier Strata: what the migrations changed since
          for (const statement of upgradePlan(wanted, readPresentSchema(connection)))
            ddl(statement);
          ddl(`UPDATE strata_schema SET version = '${wanted.version}'`);
        }
        ddl('COMMIT');
      } catch (error) {
        ddl('ROLLBACK');
        throw error;
      }
    }
    const orm = drizzle(sqlite, { schema });
    return {
      orm,
      sqlite,
      path: connection.name,
      location: url,
      dialect: 'postgres',
      close: () => connection.close(),
    };
  } catch (error) {
    connection.close();
    throw error;
  }
}
