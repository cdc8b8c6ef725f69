import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { orgUnits, relationshipManagers } from './org.js';

/** Roles, from widest to narrowest view of the bank. */
export const ROLES = [
  'admin',
  'strategist',
  'branch_manager',
  'relationship_manager',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * People who sign in. A branch manager is scoped to `org_unit_id`'s subtree, a relationship
 * manager to the customers of `rm_id`. Passwords are stored as scrypt hashes only.
 */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  rmId: integer('rm_id').references(() => relationshipManagers.id),
  /** `scrypt$N$r$p$salt$hash` (base64). */
  passwordHash: text('password_hash').notNull(),
  /** 1 when the user may see personal data unmasked (with a reason, audited). */
  canUnmask: integer('can_unmask', { mode: 'boolean' }).notNull().default(false),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
});

/** Signed-in sessions: only a hash of the cookie's token is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    /** The CSRF token that cookie-authenticated mutations must echo in a header. */
    csrf: text('csrf').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Tokens for machines (a portal's back end, a scheduler): a role and scope, no password. */
export const serviceTokens = sqliteTable('service_tokens', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** SHA-256 of the token; the token itself is shown once, when created. */
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  rmId: integer('rm_id').references(() => relationshipManagers.id),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at'),
});
