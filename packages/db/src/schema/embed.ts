import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Keys with which a portal's back end signs embed tokens (JWT) for Strata's widgets. HS256 keys
 * hold the shared secret Strata generated (shown once, when created); ES256 keys hold only the
 * portal's public key (JWK). A key is valid until `revoked_at` (a rotation sets it in the future,
 * leaving the old key a grace period).
 */
export const embedKeys = sqliteTable(
  'embed_keys',
  {
    id: integer('id').primaryKey(),
    /** The key id the token's header names (`kid`). */
    kid: text('kid').notNull().unique(),
    /** Who the key is for: a portal or tenant, e.g. "RM workbench". Several keys may share it. */
    name: text('name').notNull(),
    alg: text('alg', { enum: ['HS256', 'ES256'] }).notNull(),
    /** HS256: the secret, base64url. */
    secret: text('secret'),
    /** ES256: the public key as a JWK (JSON). */
    publicJwk: text('public_jwk'),
    /** The origins (scheme://host[:port]) pages using this key are served from, JSON array. */
    origins: text('origins').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
    /** The key this one replaced, when made by a rotation. */
    rotatedFrom: integer('rotated_from'),
  },
  (t) => [index('embed_keys_name').on(t.name)],
);
