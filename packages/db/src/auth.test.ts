import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LoginLimiter,
  authenticate,
  countUsers,
  createServiceToken,
  createSession,
  createUser,
  endSession,
  hashPassword,
  readServiceToken,
  readSession,
  revokeServiceToken,
  verifyPassword,
} from './auth.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './client.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

let db: StrataDb;
const t0 = new Date('2026-11-02T09:00:00Z');

beforeAll(() => {
  db = openTestDatabase();
});
afterAll(() => db.close());

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified in constant time', () => {
    const a = hashPassword('correct horse battery');
    const b = hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // a new salt each time
    expect(verifyPassword('correct horse battery', a)).toBe(true);
    expect(verifyPassword('correct horse batterY', a)).toBe(false);
    expect(verifyPassword('correct horse battery', 'md5$abc')).toBe(false);
  });
});

describe('users and sessions', () => {
  it('opens the first-run setup only while there are no users', () => {
    expect(countUsers(db)).toBe(0);
    createUser(
      db,
      {
        username: 'admin',
        displayName: '系统管理员',
        role: 'admin',
        password: 'a-long-first-password',
      },
      t0,
    );
    expect(countUsers(db)).toBe(1);
  });

  it('refuses a short password and a scoped role without its scope', () => {
    expect(() =>
      createUser(db, { username: 'x', displayName: 'x', role: 'viewer', password: 'short' }),
    ).toThrow(/at least 12/);
    expect(() =>
      createUser(db, {
        username: 'bm',
        displayName: 'bm',
        role: 'branch_manager',
        password: 'long-enough-pass',
      }),
    ).toThrow(/branch/);
  });

  it('answers the same for an unknown user and a wrong password', () => {
    expect(authenticate(db, 'admin', 'a-long-first-password')?.role).toBe('admin');
    expect(authenticate(db, 'admin', 'wrong-password-here')).toBeUndefined();
    expect(authenticate(db, 'nobody', 'a-long-first-password')).toBeUndefined();
  });

  it('keeps sessions by token hash, with a CSRF token, until they expire or end', () => {
    const user = authenticate(db, 'admin', 'a-long-first-password');
    if (!user) throw new Error('admin should log in');
    const s = createSession(db, user.id, t0, 12);
    const stored = db.sqlite.prepare('SELECT token_hash FROM sessions').pluck().get() as string;
    expect(stored).not.toBe(s.token); // only the hash is kept
    expect(readSession(db, s.token, t0)?.csrf).toBe(s.csrf);
    expect(readSession(db, s.token, new Date('2026-11-02T20:59:59Z'))?.user.username).toBe('admin');
    expect(readSession(db, s.token, new Date('2026-11-02T21:00:00Z'))).toBeUndefined();
    endSession(db, s.token);
    expect(readSession(db, s.token, t0)).toBeUndefined();
  });
});

describe('LoginLimiter', () => {
  it('refuses the sixth failure within 15 minutes, and lets the key try again once it ages out', () => {
    const limiter = new LoginLimiter(5, 15 * 60_000);
    for (let k = 0; k < 5; k++) {
      expect(limiter.retryAfter('admin', k * 1000)).toBe(0);
      limiter.fail('admin', k * 1000);
    }
    expect(limiter.retryAfter('admin', 10_000)).toBe(15 * 60_000 - 10_000);
    expect(limiter.retryAfter('other', 10_000)).toBe(0);
    expect(limiter.retryAfter('admin', 15 * 60_000)).toBe(0);
    limiter.succeed('admin');
    expect(limiter.retryAfter('admin', 15 * 60_000 + 1)).toBe(0);
  });
});

describe('service tokens', () => {
  it('are shown once, stored as a hash, scoped like users, and stop working when revoked', () => {
    const { token, row } = createServiceToken(db, { name: 'rm-portal', role: 'viewer' }, t0);
    expect(token).toMatch(/^stk_[\w-]{40,}$/);
    const stored = db.sqlite
      .prepare('SELECT token_hash FROM service_tokens WHERE id = ?')
      .pluck()
      .get(row.id);
    expect(stored).not.toContain(token.slice(4));
    expect(readServiceToken(db, token)?.name).toBe('rm-portal');
    expect(readServiceToken(db, `${token}x`)).toBeUndefined();
    expect(() => createServiceToken(db, { name: 'branch-feed', role: 'branch_manager' })).toThrow(
      /org unit/,
    );
    expect(revokeServiceToken(db, 'rm-portal')).toBe(true);
    expect(revokeServiceToken(db, 'rm-portal')).toBe(false);
    expect(readServiceToken(db, token)).toBeUndefined();
  });

  it('are seen revoked at once when another connection (the CLI) revokes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-tokens-'));
    const file = join(dir, 'strata.db');
    const server = openDatabase(file);
    const cli = openDatabase(file);
    try {
      const { token } = createServiceToken(server, { name: 'feed', role: 'viewer' }, t0);
      // read twice: the second answer is the one kept in memory
      expect(readServiceToken(server, token)?.name).toBe('feed');
      expect(readServiceToken(server, token)?.name).toBe('feed');
      expect(revokeServiceToken(cli, 'feed')).toBe(true);
      expect(readServiceToken(server, token)).toBeUndefined();
      // and a token made elsewhere works here at once
      const other = createServiceToken(cli, { name: 'feed-2', role: 'viewer' }, t0);
      expect(readServiceToken(server, other.token)?.name).toBe('feed-2');
    } finally {
      server.close();
      cli.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
