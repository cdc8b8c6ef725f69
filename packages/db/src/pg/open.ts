import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../schema/index.js';
import type { StrataDb } from '../types.js';
import { PostgresConnection } from './connection.js';
import { postgresSchema } from './schema.js';

/** Is this a PostgreSQL connection URL (rather than a SQLite file)? */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens Strata's database on PostgreSQL: creates the schema in an empty database (one
 * transaction), checks an existing one is at this Strata's schema version. The handle is the
 * same `StrataDb` as on SQLite (drizzle's better-sqlite3 driver over `PostgresConnection`).
 */
export function openPostgres(
  url: string,
  migrationsFolder: string,
  options: { migrate?: boolean } = {},
): StrataDb {
  const connection = new PostgresConnection(url);
  try {
    const sqlite = connection.asDatabase();
    const wanted = postgresSchema(migrationsFolder);
    connection.indexes = wanted.indexOrders;
    const present = sqlite
      .prepare(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'strata_schema'",
      )
      .pluck()
      .get() as number;
    const version = present
      ? (sqlite.prepare('SELECT version FROM strata_schema').pluck().get() as string | undefined)
      : undefined;
    if (version === undefined) {
      if (options.migrate === false) throw new Error(`${connection.name} holds no Strata schema.`);
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
      // the DDL is PostgreSQL's already: sent as it is, not through the SQLite rewriting
      const ddl = (sql: string) => connection.call({ op: 'exec', sql });
      ddl('BEGIN');
      try {
        for (const statement of wanted.statements) ddl(statement);
        ddl(
          `CREATE TABLE strata_schema (version text NOT NULL); INSERT INTO strata_schema VALUES ('${wanted.version}')`,
        );
        ddl('COMMIT');
      } catch (error) {
        ddl('ROLLBACK');
        throw error;
      }
    } else if (version !== wanted.version) {
      throw new Error(
        `${connection.name} holds Strata schema ${version}; this Strata's is ${wanted.version}. Upgrading a PostgreSQL schema in place is not supported yet.`,
      );
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
