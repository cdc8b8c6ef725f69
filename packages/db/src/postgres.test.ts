// Strata's own data on PostgreSQL: the schema derived from the SQLite migrations, the
// synchronous connection's SQLite semantics (transactions, savepoints, ids, held-back inserts,
// one writer at a time), refusals, and pg_dump backups restored and compared.
// The API, server and storage suites run on PostgreSQL as a whole in `test:pg`.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditLog } from './audit.js';
import { createUser } from './auth.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { BUSY_MESSAGE } from './busy.js';
import { importFile } from './import/index.js';
import { migrationsFolder, openDatabase } from './client.js';
import { PostgresConnection } from './pg/connection.js';
import { openPostgres } from './pg/open.js';
import { postgresSchema } from './pg/schema.js';
import { readPresentSchema } from './pg/upgrade.js';
import { seedDemoBank } from './seed/index.js';
import { startPostgres, type LocalServer } from './testing.js';
import type { StrataDb } from './types.js';

let server: LocalServer;
let dir: string;
let made = 0;
const now = new Date('2026-11-05T09:00:00Z');

/** A new, empty database on the server; its URL. */
function createDatabase(): string {
  const name = `strata_pg_${++made}`;
  const admin = new PostgresConnection(server.url);
  try {
    admin.call({ op: 'exec', sql: `CREATE DATABASE ${name}` });
  } finally {
    admin.close();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Every table's rows, each as sorted JSON lines: equal dumps mean equal data. */
function dump(db: StrataDb, tables: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(
    tables.map((t) => [
      t,
      (db.sqlite.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][])
        .map((row) =>
          JSON.stringify(row, (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
        )
        .sort(),
    ]),
  );
}

beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'strata-pg-test-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the schema', () => {
  it('has every table and column of the SQLite migrations, and a second open finds it current', () => {
    const url = createDatabase();
    const db = openDatabase(url);
    try {
      const wanted = postgresSchema(migrationsFolder);
      for (const [table, columns] of wanted.tables) {
        const present = db.sqlite
          .prepare(
            'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position',
          )
          .pluck()
          .all(table);
        expect(present, table).toEqual(columns);
      }
      expect(wanted.tables.size).toBeGreaterThan(30);
      expect(db.dialect).toBe('postgres');
    } finally {
      db.close();
    }
    openDatabase(url).close(); // the version matches: opens without change
  });

  it('refuses a database holding other tables', () => {
    const foreign = createDatabase();
    const other = new PostgresConnection(foreign);
    other.call({ op: 'exec', sql: 'CREATE TABLE theirs (id int)' });
    other.close();
    expect(() => openDatabase(foreign)).toThrow(/already holds 1 tables but no Strata schema/);
  });

  it('brings a database made by an earlier Strata to this schema, keeping its data', () => {
    // an earlier Strata: the migrations up to 0014 (strategies), in a folder of their own
    const earlier = join(dir, 'migrations-0014');
    mkdirSync(join(earlier, 'meta'), { recursive: true });
    const journal = JSON.parse(
      readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
    ) as {
      entries: { tag: string }[];
    };
    journal.entries = journal.entries.slice(0, 15);
    writeFileSync(join(earlier, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const { tag } of journal.entries)
      copyFileSync(join(migrationsFolder, `${tag}.sql`), join(earlier, `${tag}.sql`));
    const url = createDatabase();
    const old = openPostgres(url, earlier);
    old.sqlite
      .prepare(
        "INSERT INTO org_units (id, code, name, name_en, kind, parent_id, path) VALUES (1, 'HQ', '总行', 'Head office', 'head_office', NULL, '/1/')",
      )
      .run();
    old.close();
    const before = new PostgresConnection(url);
    const then = readPresentSchema(before);
    before.close();
    expect(then.tables.has('strategy_lists')).toBe(false); // 0015 and later are missing

    const db = openDatabase(url); // upgraded
    const fresh = openDatabase(createDatabase());
    try {
      const shape = (d: StrataDb) => {
        const p = readPresentSchema(d.sqlite as unknown as PostgresConnection);
        return {
          tables: [...p.tables].sort(),
          columns: [...p.columns].map(([t, c]) => [t, [...c].sort()] as const).sort(),
          indexes: [...p.indexes].sort(),
          constraints: [...p.constraints].sort(),
          triggers: [...p.triggers].sort(),
        };
      };
      expect(shape(db)).toEqual(shape(fresh));
      expect(db.sqlite.prepare('SELECT version FROM strata_schema').pluck().get()).toBe(
        fresh.sqlite.prepare('SELECT version FROM strata_schema').pluck().get(),
      );
      expect(db.sqlite.prepare('SELECT name_en FROM org_units WHERE id = 1').pluck().get()).toBe(
        'Head office',
      );
      // the new tables work, keys and all
      const id = db.sqlite
        .prepare(
          "INSERT INTO strategies (key, status, current_version, created_by, created_at, updated_at) VALUES ('k', 'draft', 1, 'a', 'x', 'x')",
        )
        .run().lastInsertRowid;
      expect(Number(id)).toBe(1);
    } finally {
      db.close();
      fresh.close();
    }
  });

  it('refuses an upgrade that would change a column’s type, and changes nothing', () => {
    const url = createDatabase();
    openDatabase(url).close();
    const raw = new PostgresConnection(url);
    raw.call({
      op: 'exec',
      sql: "ALTER TABLE meta ALTER COLUMN value TYPE bigint USING 0; UPDATE strata_schema SET version = 'older'",
    });
    expect(() => openDatabase(url)).toThrow(
      /meta\.value is bigint in this database but text in this Strata; changing a column's type is not supported/,
    );
    expect(raw.prepare('SELECT version FROM strata_schema').pluck().get()).toBe('older');
    raw.close();
  });

  it('masks the password in the name it gives', () => {
    const url = new URL(createDatabase());
    url.password = 's3cret-pw';
    const db = openDatabase(url.toString());
    try {
      expect(db.path).not.toContain('s3cret-pw');
      expect(db.path).toContain(':***@');
    } finally {
      db.close();
    }
  });
});

describe('the connection', () => {
  let db: StrataDb;
  beforeAll(() => {
    db = openDatabase(createDatabase());
  });
  afterAll(() => db.close());

  it('gives integer keys as SQLite does, and lastInsertRowid', () => {
    const a = createUser(
      db,
      { username: 'a.user', displayName: 'A', role: 'admin', password: 'long enough pw 1' },
      now,
    );
    const b = createUser(
      db,
      { username: 'b.user', displayName: 'B', role: 'viewer', password: 'long enough pw 2' },
      now,
    );
    expect(b.id).toBe(a.id + 1);
    // an explicit id moves the sequence past it
    db.sqlite
      .prepare(
        "INSERT INTO org_units (id, code, name, name_en, kind, parent_id, path) VALUES (40, 'X', 'x', 'x', 'branch', NULL, '/40/')",
      )
      .run();
    const next = db.sqlite
      .prepare(
        "INSERT INTO org_units (code, name, name_en, kind, parent_id, path) VALUES ('Y', 'y', 'y', 'branch', NULL, '/')",
      )
      .run();
    expect(Number(next.lastInsertRowid)).toBe(41);
  });

  it('rolls a nested transaction back to its savepoint, and an outer one whole', () => {
    const count = () =>
      db.sqlite.prepare("SELECT count(*) FROM meta WHERE key LIKE 't.%'").pluck().get();
    const put = db.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.sqlite.transaction(() => {
      put.run('t.outer', '1');
      expect(() =>
        db.sqlite.transaction(() => {
          put.run('t.inner', '1');
          throw new Error('inner fails');
        })(),
      ).toThrow('inner fails');
    })();
    expect(count()).toBe(1);
    expect(() =>
      db.sqlite.transaction(() => {
        put.run('t.second', '1');
        throw new Error('outer fails');
      })(),
    ).toThrow('outer fails');
    expect(count()).toBe(1);
    expect(db.sqlite.inTransaction).toBe(false);
  });

  it('sends held-back inserts before any read, and a failing one undoes its whole transaction', () => {
    const put = db.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.sqlite.transaction(() => {
      for (let i = 0; i < 2_500; i++) put.run(`h.${i}`, String(i));
      expect(
        db.sqlite.prepare("SELECT count(*) FROM meta WHERE key LIKE 'h.%'").pluck().get(),
      ).toBe(2_500);
    })();
    let error: unknown;
    try {
      db.sqlite.transaction(() => {
        put.run('h.new', 'x');
        put.run('h.7', 'duplicate'); // held back: fails when sent, at the COMMIT
      })();
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe('23505');
    expect(db.sqlite.prepare("SELECT count(*) FROM meta WHERE key = 'h.new'").pluck().get()).toBe(
      0,
    );
    expect(db.sqlite.inTransaction).toBe(false);
    // a late lastInsertRowid would name another row: refused
    const units = db.sqlite.prepare(
      "INSERT INTO org_units (code, name, name_en, kind, parent_id, path) VALUES (?, 'z', 'z', 'branch', NULL, '/')",
    );
    expect(() =>
      db.sqlite.transaction(() => {
        const first = units.run('Z1');
        units.run('Z2');
        return first.lastInsertRowid;
      })(),
    ).toThrow(/read lastInsertRowid before the next insert/);
  });

  it('keeps the audit log append-only', () => {
    appendAudit(db, { actor: 'a', action: 'login', target: null, detail: {}, origin: null }, now);
    expect(() => db.sqlite.prepare("UPDATE audit_log SET actor = 'b'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('takes the writers’ lock at the first write: readers never wait, another writer is refused clearly', () => {
    const other = openDatabase(db.location);
    try {
      db.sqlite.transaction(() => {
        db.sqlite.prepare('SELECT count(*) FROM meta').pluck().get(); // a read takes no lock
        other.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('w.other', '1')").run();
        db.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('w.first', '1')").run();
        const started = performance.now();
        expect(other.sqlite.prepare('SELECT count(*) FROM meta').pluck().get()).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(1_000); // readers never wait
        expect(() =>
          importFile(other, {
            kind: 'relationship_managers',
            input: { bytes: new TextEncoder().encode('code,name,org_unit\n'), name: 'rm.csv' },
            actor: 'test',
            now,
          }),
        ).toThrow(BUSY_MESSAGE);
      })();
    } finally {
      other.close();
    }
  }, 30_000);

  it('lets one writer in at a time: a second waits, then is refused clearly', () => {
    const other = openDatabase(db.location);
    try {
      db.sqlite.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      let error: unknown;
      try {
        other.sqlite.exec('BEGIN IMMEDIATE');
      } catch (e) {
        error = e;
      }
      expect((error as { code?: string }).code).toBe('55P03'); // lock_not_available
      expect(performance.now() - started).toBeGreaterThan(4_000);
      other.sqlite.exec('ROLLBACK');
      db.sqlite.exec('COMMIT');
      other.sqlite.exec('BEGIN IMMEDIATE'); // free again
      other.sqlite.exec('COMMIT');
    } finally {
      other.close();
    }
  }, 30_000);
});

describe('backups with pg_dump', () => {
  let url: string;
  let db: StrataDb;
  beforeAll(() => {
    url = createDatabase();
    db = openDatabase(url);
    seedDemoBank(db, { seed: 6, retail: 300, corporate: 30 }, undefined, () => now);
    for (const actor of ['a', 'b', 'c'])
      appendAudit(db, { actor, action: 'login', target: null, detail: {}, origin: null }, now);
  }, 120_000);
  afterAll(() => db.close());

  it('backs up online, restores into an empty database, and the data is the same', async () => {
    const file = join(dir, 'strata.pgdump');
    const backup = await backupDatabase(url, file);
    expect(backup.tables.customers).toBe(330);
    expect(backup.auditEntries).toBe(3);
    expect(backup.bytes).toBeGreaterThan(10_000);
    const target = createDatabase();
    const restored = await restoreDatabase(file, target);
    expect(restored.tables).toEqual(backup.tables);
    expect(restored.auditEntries).toBe(backup.auditEntries);
    const copy = openDatabase(target);
    try {
      const tables = Object.keys(backup.tables);
      expect(dump(copy, tables)).toEqual(dump(db, tables));
      // the copy goes on working: its keys continue after the restored rows
      const user = createUser(
        copy,
        {
          username: 'after.restore',
          displayName: 'R',
          role: 'viewer',
          password: 'long enough pw 3',
        },
        now,
      );
      expect(user.id).toBeGreaterThan(0);
    } finally {
      copy.close();
    }
    await expect(backupDatabase(url, file)).rejects.toThrow(/exists; choose a new file/);
    await expect(restoreDatabase(file, target)).rejects.toThrow(
      /already holds \d+ tables; restore into an empty database/,
    );
    await expect(restoreDatabase(file, join(dir, 'x.db'))).rejects.toThrow(
      /is a PostgreSQL backup \(pg_dump\)/,
    );
    const lite = join(dir, 'lite.db');
    openDatabase(lite).close();
    await expect(restoreDatabase(lite, createDatabase())).rejects.toThrow(/is a SQLite backup/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  }, 120_000);
});
