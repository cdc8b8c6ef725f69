import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from './audit.js';
import { openDatabase } from './client.js';
import { PostgresConnection } from './pg/connection.js';
import { cli, runCli } from './test-cli.js';
import { startPostgres, type LocalServer } from './testing.js';

let dir: string;
let db: string;
const strata = (...args: string[]) => runCli(db, ...args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
  db = join(dir, 'strata.db');
  const seeded = strata('seed', '--retail', '800', '--corporate', '80', '--seed', '3');
  if (seeded.status !== 0) throw new Error(seeded.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata (command line)', () => {
  it('refreshes with progress bars and lists the run', () => {
    const out = strata('refresh', '--period', '2026-09');
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/insight load\s+\[#+\] 100%/);
    expect(out.stdout).toMatch(/insight run \d+ for 2026-09: 880 customers/);
    const runs = strata('runs');
    expect(runs.stdout).toMatch(/2026-09\tsucceeded/);
  });

  it('makes the ready profiles with a refresh when asked, and on their own', () => {
    const out = strata('refresh', '--ready-profiles', 'yes');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/ready profiles\s+\[#+\] 100%/);
    expect(out.stdout).toMatch(/ready profiles: 880 customers, [\d.]+ MiB, \d+ ms/);
    const again = strata('profiles');
    expect(again.stdout).toMatch(/ready profiles of run \d+: 880 customers/);
    const wrong = strata('refresh', '--ready-profiles', 'maybe');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/--ready-profiles is yes or no, not "maybe"/);
  });

  it('previews a segment from a JSON file: sentence, count, sample', () => {
    const file = join(dir, 'seniors.json');
    writeFileSync(
      file,
      JSON.stringify({ rule: { kind: 'cmp', field: 'age', op: '>=', value: 60 } }),
    );
    const out = strata('segment', 'preview', file, '--lang', 'en', '--sample', '3');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^age ≥ 60/m);
    expect(out.stdout).toMatch(/2026-10: \d+ of \d+ customers/);
  });

  it('refuses a bad rule file with the path of the bad node', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ kind: 'and', of: [{ kind: 'cmp', field: 'aum', op: '>=', value: 'lots' }] }),
    );
    const out = strata('segment', 'preview', file);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/at of\.0\.value/);
  });

  it('backs up online, refuses to overwrite, and restores a checked backup', () => {
    const copy = join(dir, 'backup.db');
    const out = strata('backup', '--to', copy);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /backed up .*backup\.db: .* 880 customers, \d+ audit entries \(chain verified\), integrity ok/,
    );
    expect(out.stderr).toMatch(/backup\s+\[#+\] 100%/);
    const again = strata('backup', '--to', copy);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists; choose a new file/);
    const restored = join(dir, 'restored.db');
    const back = runCli(restored, 'restore', '--from', copy);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/restored .*restored\.db: .* 880 customers/);
    expect(strata('restore').status).toBe(2); // usage: --from is needed
  });

  it('verifies the audit log, and says where it breaks', () => {
    const ok = strata('audit', 'verify');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit log intact: \d+ entries/);
    const handle = openDatabase(db);
    try {
      appendAudit(handle, { actor: 'admin', action: 'login' });
      appendAudit(handle, { actor: 'admin', action: 'export', target: 'list:1' });
      handle.sqlite.exec('DROP TRIGGER audit_log_no_update');
      handle.sqlite.prepare("UPDATE audit_log SET target = 'list:2' WHERE action = 'export'").run();
    } finally {
      handle.close();
    }
    const broken = strata('audit', 'verify');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at entry \d+: its content was changed/);
  });

  it('creates a service token once, revokes it, and audits both', () => {
    const made = strata('token', 'create', '--name', 'crm-sync', '--role', 'viewer');
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/^stk_[\w-]+$/m);
    expect(strata('token', 'create', '--name', 'x', '--role', 'emperor').stderr).toMatch(
      /--role must be one of/,
    );
    const revoked = strata('token', 'revoke', '--name', 'crm-sync');
    expect(revoked.status).toBe(0);
    expect(strata('token', 'revoke', '--name', 'crm-sync').status).toBe(2);
    const handle = openDatabase(db);
    try {
      const actions = handle.sqlite
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'token.%' ORDER BY id")
        .pluck()
        .all();
      expect(actions).toEqual(['token.create', 'token.revoke']);
    } finally {
      handle.close();
    }
  });

  it('creates a user with the password from standard input, lists, disables them, and audits it', () => {
    const made = spawnSync(
      process.execPath,
      [
        cli,
        'user',
        'create',
        '--username',
        'li.na',
        '--display-name',
        '李娜',
        '--role',
        'branch_manager',
        '--org-unit',
        '2',
        '--db',
        db,
      ],
      { encoding: 'utf8', input: 'a long enough password\n', env: { ...process.env, TZ: 'UTC' } },
    );
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/user \d+ li\.na \(branch_manager\) created/);
    const short = spawnSync(
      process.execPath,
      [
        cli,
        'user',
        'create',
        '--username',
        'wang',
        '--display-name',
        'W',
        '--role',
        'viewer',
        '--db',
        db,
      ],
      { encoding: 'utf8', input: 'short\n' },
    );
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect(
      strata('user', 'create', '--username', 'x', '--display-name', 'X', '--role', 'emperor')
        .status,
    ).toBe(2);
    expect(strata('users').stdout).toMatch(/li\.na\t李娜\tbranch_manager\t2/);
    expect(strata('user', 'disable', '--username', 'li.na').stdout).toMatch(/disabled/);
    expect(strata('users').stdout).toMatch(/li\.na.*\tdisabled/);
    const handle = openDatabase(db);
    try {
      const actions = handle.sqlite
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'user.%' ORDER BY id")
        .pluck()
        .all();
      expect(actions).toEqual(['user.create', 'user.disable']);
    } finally {
      handle.close();
    }
  });
});

describe('strata (command line) on PostgreSQL', () => {
  let server: LocalServer;
  const database = (name: string) => {
    const admin = new PostgresConnection(server.url);
    admin.call({ op: 'exec', sql: `CREATE DATABASE ${name}` });
    admin.close();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    url.password = 'not-shown'; // the test server trusts loopback: any password will do
    return url.toString();
  };
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('seeds, refreshes, backs up with pg_dump and restores into a new database', () => {
    const url = database('cli_main');
    const seeded = runCli(url, 'seed', '--retail', '300', '--corporate', '30', '--seed', '5');
    expect(seeded.status, seeded.stderr).toBe(0);
    const refreshed = runCli(url, 'refresh', '--period', '2026-09');
    expect(refreshed.status, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).toMatch(/insight run \d+ for 2026-09: 330 customers/);
    expect(runCli(url, 'runs').stdout).toMatch(/2026-09\tsucceeded/);
    const file = join(dir, 'strata.pgdump');
    const backup = runCli(url, 'backup', '--to', file);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(
      /backed up .*strata\.pgdump: .* 330 customers, \d+ audit entries \(chain verified\), integrity ok/,
    );
    expect(backup.stdout).not.toMatch(/pages/);
    const target = database('cli_restored');
    const restore = runCli(target, 'restore', '--from', file);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(
      /restored postgres:\/\/strata:\*\*\*@.*cli_restored: .* 330 customers/,
    );
    expect(restore.stdout + restore.stderr).not.toContain('not-shown');
    expect(runCli(target, 'audit', 'verify').status).toBe(0);
  }, 240_000);
});
