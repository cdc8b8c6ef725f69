import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from './schema/auth.js';
import type { StrataDb } from './types.js';

// scrypt parameters (OWASP's minimum for scrypt is N = 2^17, r = 8, p = 1).
const N = 1 << 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 256 * N * R; // scrypt needs 128 · N · r bytes; leave headroom

/** A scrypt hash of a password, with its parameters and a random salt: `scrypt$N$r$p$salt$hash`. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, {
    N,
    r: R,
    p: P,
    maxmem: MAX_MEM,
  });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True if `password` matches `stored` (constant-time comparison; any parameters it names). */
export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A user as the rest of Strata sees one (never the password hash). */
export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly orgUnitId: number | null;
  readonly rmId: number | null;
  readonly canUnmask: boolean;
  readonly disabled: boolean;
}

/** What a new user needs. */
export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
  readonly orgUnitId?: number | null;
  readonly rmId?: number | null;
  readonly canUnmask?: boolean;
}

const USER_COLUMNS =
  'id, username, display_name AS displayName, role, org_unit_id AS orgUnitId, rm_id AS rmId, can_unmask AS canUnmask, disabled';
const toUser = (
  r: Omit<UserRow, 'canUnmask' | 'disabled'> & { canUnmask: number; disabled: number },
): UserRow => ({
  ...r,
  canUnmask: r.canUnmask === 1,
  disabled: r.disabled === 1,
});

/** Creates a user. The scope a role needs is checked: a branch manager needs a branch, an RM an RM. */
export function createUser(db: StrataDb, user: NewUser, now: Date = new Date()): UserRow {
  if (user.role === 'branch_manager' && !user.orgUnitId)
    throw new RangeError('a branch manager needs the org unit (branch) they manage');
  if (user.role === 'relationship_manager' && !user.rmId)
    throw new RangeError('a relationship manager user needs the relationship manager they are');
  if (user.password.length < 12) throw new RangeError('a password has at least 12 characters');
  const result = db.sqlite
    .prepare(
      `INSERT INTO users (username, display_name, role, org_unit_id, rm_id, password_hash, can_unmask, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      user.username,
      user.displayName,
      user.role,
      user.orgUnitId ?? null,
      user.rmId ?? null,
      hashPassword(user.password),
      user.canUnmask ? 1 : 0,
      now.toISOString(),
    );
  return getUser(db, Number(result.lastInsertRowid)) as UserRow;
}

/** A user by id, or undefined. */
export function getUser(db: StrataDb, id: number): UserRow | undefined {
  const row = db.sqlite.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as
    Parameters<typeof toUser>[0] | undefined;
  return row && toUser(row);
}

/** Every user, by username. */
export function listUsers(db: StrataDb): UserRow[] {
  return (
    db.sqlite.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`).all() as Parameters<
      typeof toUser
    >[0][]
  ).map(toUser);
}

/**
 * Disables (or enables again) a user; disabling ends their sessions at once. Undefined when
 * there is no such user.
 */
export function setUserDisabled(db: StrataDb, id: number, disabled: boolean): UserRow | undefined {
  return db.sqlite.transaction(() => {
    const changed = db.sqlite
      .prepare('UPDATE users SET disabled = ? WHERE id = ?')
      .run(disabled ? 1 : 0, id).changes;
    if (changed === 0) return undefined;
    if (disabled) db.sqlite.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
    return getUser(db, id);
  })();
}

/** How many users exist: zero means the first-run admin setup is open. */
export function countUsers(db: StrataDb): number {
  return db.sqlite.prepare('SELECT count(*) FROM users').pluck().get() as number;
}

/**
 * Checks a username and password. The same answer (undefined) for an unknown user, a wrong
 * password and a disabled account, and the same work (a hash is checked either way).
 */
export function authenticate(
  db: StrataDb,
  username: string,
  password: string,
): UserRow | undefined {
  const row = db.sqlite
    .prepare(`SELECT ${USER_COLUMNS}, password_hash AS passwordHash FROM users WHERE username = ?`)
    .get(username) as (Parameters<typeof toUser>[0] & { passwordHash: string }) | undefined;
  const ok = verifyPassword(password, row?.passwordHash ?? dummyHash());
  if (!row || !ok || row.disabled) return undefined;
  const { passwordHash: _hash, ...user } = row;
  return toUser(user);
}
/** A hash to check against when the user is unknown, so both paths cost the same. */
let dummy: string | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomBytes(12).toString('hex')));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A new session: the cookie token (only its hash is stored) and the CSRF token. */
export function createSession(
  db: StrataDb,
  userId: number,
  now: Date = new Date(),
  ttlHours = 12,
): { readonly token: string; readonly csrf: string; readonly expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  db.sqlite
    .prepare(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, csrf) VALUES (?, ?, ?, ?, ?)',
    )
    .run(sha256(token), userId, now.toISOString(), expiresAt, csrf);
  return { token, csrf, expiresAt };
}

/** The user and CSRF token of a live session cookie, or undefined (unknown, expired, disabled). */
export function readSession(
  db: StrataDb,
  token: string,
  now: Date = new Date(),
): { readonly user: UserRow; readonly csrf: string } | undefined {
  const row = db.sqlite
    .prepare(
      'SELECT user_id AS userId, expires_at AS expiresAt, csrf FROM sessions WHERE token_hash = ?',
    )
    .get(sha256(token)) as { userId: number; expiresAt: string; csrf: string } | undefined;
  if (!row || row.expiresAt <= now.toISOString()) return undefined;
  const user = getUser(db, row.userId);
  return user && !user.disabled ? { user, csrf: row.csrf } : undefined;
}

/** Ends a session. */
export function endSession(db: StrataDb, token: string): void {
  db.sqlite.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
}

/**
 * Login attempts per key (a username, an address) in a sliding window: after `limit` failures
 * within `windowMs`, further attempts are refused until the oldest failure ages out.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 if it may now. */
  retryAfter(key: string, now: number): number {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(key, recent);
    return recent.length < this.limit ? 0 : (recent[0] as number) + this.windowMs - now;
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

/** A machine's identity, from a service token. */
export interface ServiceTokenRow {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly orgUnitId: number | null;
  readonly rmId: number | null;
}

/**
 * Creates a service token and returns it — the only time it is shown (only its hash is
 * stored). Tokens look like `stk_…` so they are easy to spot in a leaked file.
 */
export function createServiceToken(
  db: StrataDb,
  token: {
    readonly name: string;
    readonly role: Role;
    readonly orgUnitId?: number | null;
    readonly rmId?: number | null;
  },
  now: Date = new Date(),
): { readonly token: string; readonly row: ServiceTokenRow } {
  if (token.role === 'branch_manager' && !token.orgUnitId)
    throw new RangeError('a branch-scoped token needs the org unit (branch)');
  if (token.role === 'relationship_manager' && !token.rmId)
    throw new RangeError('an RM-scoped token needs the relationship manager');
  const secret = `stk_${randomBytes(32).toString('base64url')}`;
  const result = db.sqlite
    .prepare(
      'INSERT INTO service_tokens (name, token_hash, role, org_unit_id, rm_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      token.name,
      sha256(secret),
      token.role,
      token.orgUnitId ?? null,
      token.rmId ?? null,
      now.toISOString(),
    );
  return {
    token: secret,
    row: {
      id: Number(result.lastInsertRowid),
      name: token.name,
      role: token.role,
      orgUnitId: token.orgUnitId ?? null,
      rmId: token.rmId ?? null,
    },
  };
}

/** The identity of a live (not revoked) service token, or undefined. */
export function readServiceToken(db: StrataDb, token: string): ServiceTokenRow | undefined {
  // Every machine request asks: live tokens are kept per handle while nothing was committed
  // since (SQLite's data_version moves on any other connection's commit — a revocation by the
  // CLI, say — and this module's own writes forget them).
  const stamp =
    db.dialect === 'sqlite' && !db.sqlite.inTransaction
      ? (db.sqlite.prepare('PRAGMA data_version').pluck().get() as number)
      : null;
  let kept = tokensKept.get(db);
  if (stamp !== null && kept?.stamp === stamp) {
    const row = kept.rows.get(token);
    if (row) return row;
  }
  const row = db.sqlite
    .prepare(
      'SELECT id, name, role, org_unit_id AS orgUnitId, rm_id AS rmId FROM service_tokens WHERE token_hash = ? AND revoked_at IS NULL',
    )
    .get(sha256(token)) as ServiceTokenRow | undefined;
  if (stamp !== null && row) {
    if (kept?.stamp !== stamp || kept.rows.size >= 1_024) {
      kept = { stamp, rows: new Map() };
      tokensKept.set(db, kept);
    }
    kept.rows.set(token, Object.freeze({ ...row }));
  }
  return row;
}

const tokensKept = new WeakMap<
  StrataDb,
  { readonly stamp: number; readonly rows: Map<string, ServiceTokenRow> }
>();

/** Revokes a token by name; false if there is no live token of that name. */
export function revokeServiceToken(db: StrataDb, name: string, now: Date = new Date()): boolean {
  tokensKept.delete(db);
  return (
    db.sqlite
      .prepare('UPDATE service_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL')
      .run(now.toISOString(), name).changes === 1
  );
}
