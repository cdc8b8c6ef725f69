import { randomBytes } from 'node:crypto';
import { appendAudit } from './audit.js';
import type { StrataDb } from './types.js';

/** An embed key as listed: never its secret. */
export interface EmbedKeyInfo {
  readonly id: number;
  readonly kid: string;
  readonly name: string;
  readonly alg: 'HS256' | 'ES256';
  readonly origins: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  /** When the key stopped (or, after a rotation, stops) being accepted; null: live. */
  readonly revokedAt: string | null;
  readonly rotatedFrom: number | null;
  /** Live at `now`. */
  readonly live: boolean;
}

/** What verifying a token needs of its key. */
export interface EmbedKeyMaterial {
  readonly kid: string;
  readonly name: string;
  readonly alg: 'HS256' | 'ES256';
  readonly secret: string | null;
  readonly publicJwk: string | null;
  readonly origins: readonly string[];
}

/** Who is acting: for the audit log. */
export interface Actor {
  readonly actor: string;
  readonly origin: string | null;
}

interface Row {
  id: number;
  kid: string;
  name: string;
  alg: 'HS256' | 'ES256';
  secret: string | null;
  publicJwk: string | null;
  origins: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  rotatedFrom: number | null;
}

const COLUMNS = `id, kid, name, alg, secret, public_jwk AS publicJwk, origins, created_by AS createdBy,
  created_at AS createdAt, revoked_at AS revokedAt, rotated_from AS rotatedFrom`;

/** An origin as browsers send it: scheme://host[:port], no path, no trailing slash. */
export function normaliseOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new RangeError(`"${origin}" is not an origin (expected e.g. https://portal.bank.cn)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RangeError(`"${origin}": an origin is http:// or https://`);
  if (url.pathname !== '/' || url.search || url.hash || url.username)
    throw new RangeError(`"${origin}" is not an origin: give scheme, host and port only`);
  return url.origin;
}

function info(row: Row, now: Date): EmbedKeyInfo {
  return {
    id: row.id,
    kid: row.kid,
    name: row.name,
    alg: row.alg,
    origins: JSON.parse(row.origins) as string[],
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    rotatedFrom: row.rotatedFrom,
    live: row.revokedAt === null || row.revokedAt > now.toISOString(),
  };
}

function insertKey(
  db: StrataDb,
  key: {
    readonly name: string;
    readonly alg: 'HS256' | 'ES256';
    readonly publicJwk?: string | null;
    readonly origins: readonly string[];
    readonly rotatedFrom?: number | null;
  },
  by: Actor,
  now: Date,
): { readonly key: EmbedKeyInfo; readonly secret: string | null } {
  const origins = [...new Set(key.origins.map(normaliseOrigin))];
  if (origins.length === 0) throw new RangeError('an embed key needs at least one allowed origin');
  const name = key.name.trim();
  if (!name) throw new RangeError('an embed key needs a name');
  const secret = key.alg === 'HS256' ? randomBytes(32).toString('base64url') : null;
  if (key.alg === 'ES256' && !key.publicJwk)
    throw new RangeError('an ES256 key needs the portal’s public key (JWK)');
  const kid = `sek_${randomBytes(9).toString('base64url')}`;
  const id = Number(
    db.sqlite
      .prepare(
        `INSERT INTO embed_keys (kid, name, alg, secret, public_jwk, origins, created_by, created_at, rotated_from)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        kid,
        name,
        key.alg,
        secret,
        key.alg === 'ES256' ? key.publicJwk : null,
        JSON.stringify(origins),
        by.actor,
        now.toISOString(),
        key.rotatedFrom ?? null,
      ).lastInsertRowid,
  );
  appendAudit(
    db,
    {
      actor: by.actor,
      action: key.rotatedFrom ? 'embed_key.rotate' : 'embed_key.create',
      target: `embed_key:${kid}`,
      detail: { name, alg: key.alg, origins, rotatedFrom: key.rotatedFrom ?? null },
      origin: by.origin,
    },
    now,
  );
  const row = db.sqlite.prepare(`SELECT ${COLUMNS} FROM embed_keys WHERE id = ?`).get(id) as Row;
  return { key: info(row, now), secret };
}

/**
 * Creates an embed key. HS256: Strata generates the secret and returns it — the only time it is
 * shown. ES256: the portal keeps its private key and gives the public one (JWK). Audited.
 */
export function createEmbedKey(
  db: StrataDb,
  key: {
    readonly name: string;
    readonly alg: 'HS256' | 'ES256';
    readonly publicJwk?: string | null;
    readonly origins: readonly string[];
  },
  by: Actor,
  now: Date = new Date(),
): { readonly key: EmbedKeyInfo; readonly secret: string | null } {
  return db.sqlite.transaction(() => insertKey(db, key, by, now))();
}

/** Every embed key, newest first, without secrets. */
export function listEmbedKeys(db: StrataDb, now: Date = new Date()): EmbedKeyInfo[] {
  return (
    db.sqlite.prepare(`SELECT ${COLUMNS} FROM embed_keys ORDER BY id DESC`).all() as Row[]
  ).map((r) => info(r, now));
}

function liveRow(db: StrataDb, kid: string, now: Date): Row | undefined {
  const row = db.sqlite.prepare(`SELECT ${COLUMNS} FROM embed_keys WHERE kid = ?`).get(kid) as
    Row | undefined;
  return row && info(row, now).live ? row : undefined;
}

/** The material to verify a token signed with key `kid`, if that key is live at `now`. */
export function embedKeyFor(
  db: StrataDb,
  kid: string,
  now: Date = new Date(),
): EmbedKeyMaterial | undefined {
  const row = liveRow(db, kid, now);
  if (!row) return undefined;
  return {
    kid: row.kid,
    name: row.name,
    alg: row.alg,
    secret: row.secret,
    publicJwk: row.publicJwk,
    origins: JSON.parse(row.origins) as string[],
  };
}

/** The origins of every live key: the browsers' pages that may call the API. */
export function embedOrigins(db: StrataDb, now: Date = new Date()): Set<string> {
  const out = new Set<string>();
  for (const row of db.sqlite
    .prepare('SELECT origins FROM embed_keys WHERE revoked_at IS NULL OR revoked_at > ?')
    .all(now.toISOString()) as { origins: string }[])
    for (const o of JSON.parse(row.origins) as string[]) out.add(o);
  return out;
}

/** Revokes a live key now; false when there is no live key `kid`. Audited. */
export function revokeEmbedKey(db: StrataDb, kid: string, by: Actor, now: Date = new Date()) {
  return db.sqlite.transaction(() => {
    if (!liveRow(db, kid, now)) return false;
    db.sqlite
      .prepare('UPDATE embed_keys SET revoked_at = ? WHERE kid = ?')
      .run(now.toISOString(), kid);
    appendAudit(
      db,
      {
        actor: by.actor,
        action: 'embed_key.revoke',
        target: `embed_key:${kid}`,
        origin: by.origin,
      },
      now,
    );
    return true;
  })();
}

/**
 * Rotates a live key: a new key (new kid and, for HS256, a new secret shown once) with the same
 * name, algorithm and origins; the old one keeps working for `graceSeconds` (0: stops now), so
 * portals can switch without an outage. ES256 rotations take the new public key. Audited.
 */
export function rotateEmbedKey(
  db: StrataDb,
  kid: string,
  options: { readonly graceSeconds: number; readonly publicJwk?: string | null },
  by: Actor,
  now: Date = new Date(),
): { readonly key: EmbedKeyInfo; readonly secret: string | null } | undefined {
  return db.sqlite.transaction(() => {
    const old = liveRow(db, kid, now);
    if (!old) return undefined;
    const until = new Date(now.getTime() + options.graceSeconds * 1000).toISOString();
    const revokedAt = old.revokedAt && old.revokedAt < until ? old.revokedAt : until;
    db.sqlite.prepare('UPDATE embed_keys SET revoked_at = ? WHERE id = ?').run(revokedAt, old.id);
    return insertKey(
      db,
      {
        name: old.name,
        alg: old.alg,
        publicJwk: options.publicJwk ?? old.publicJwk,
        origins: JSON.parse(old.origins) as string[],
        rotatedFrom: old.id,
      },
      by,
      now,
    );
  })();
}
