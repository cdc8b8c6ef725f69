import {
  embedKeyFor,
  isWithinOrgUnit,
  scopeRoot,
  type EmbedKeyMaterial,
  type Scope,
  type StrataDb,
} from '@strata/db';
import type { Role } from '@strata/db/schema';
import { decodeProtectedHeader, errors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

/** How long an embed token may live at most (exp − iat). Portals sign one per page view. */
export const MAX_EMBED_TOKEN_SECONDS = 3600;

/**
 * The claims Strata reads from an embed token (besides `exp`, `iat`):
 * - `sub`: who acts — `rm:<RM code>` (a relationship manager, by the code in Strata's RM table)
 *   or `user:<username>` (a Strata user); the token gets that person's role, scope and masking;
 * - `scope` (optional): a narrowing — `{ customers: [external ids] }`, `{ branch: <org unit
 *   code> }` or `{ resources: ["strategy:<key>", "segment:<key>"] }`. Without it, the person's
 *   whole scope.
 */
export const embedClaimsSchema = z.object({
  sub: z.string().regex(/^(rm|user):[\w.@-]{1,64}$/, 'sub is "rm:<RM code>" or "user:<username>"'),
  scope: z
    .union([
      z.object({ customers: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict(),
      z.object({ branch: z.string().min(1).max(32) }).strict(),
      z
        .object({
          resources: z
            .array(z.string().regex(/^(strategy|segment):[\w.-]{1,64}$/))
            .min(1)
            .max(100),
        })
        .strict(),
    ])
    .optional(),
});

/** What kind of narrowing a token carries. */
export type EmbedScopeKind = 'person' | 'branch' | 'customers' | 'resources';

/** A verified embed token: who acts, within what, by which key. */
export interface EmbedIdentity {
  readonly kid: string;
  readonly keyName: string;
  /** `rm:<code>` or `user:<username>`. */
  readonly subject: string;
  readonly scope: Scope;
  readonly kind: EmbedScopeKind;
  /** With `resources` scope: `strategy:<key>` / `segment:<key>` entries. */
  readonly resources: ReadonlySet<string>;
  readonly expiresAt: Date;
}

/** Why a token was refused: 401 (not valid) or 403 (valid, not from here / not allowed). */
export class EmbedTokenError extends Error {
  constructor(
    message: string,
    readonly code: 'UNAUTHORIZED' | 'FORBIDDEN',
  ) {
    super(message);
  }
}

/** Does a bearer credential look like a JWT (three base64url parts)? */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

async function keyOf(material: EmbedKeyMaterial) {
  if (material.alg === 'HS256') return new TextEncoder().encode(material.secret ?? '');
  return importJWK(JSON.parse(material.publicJwk ?? '{}') as Record<string, unknown>, 'ES256');
}

function actingScope(db: StrataDb, subject: string): Scope {
  const [kind, id] = [
    subject.slice(0, subject.indexOf(':')),
    subject.slice(subject.indexOf(':') + 1),
  ];
  if (kind === 'rm') {
    const rm = db.sqlite
      .prepare('SELECT id, org_unit_id AS orgUnitId FROM relationship_managers WHERE code = ?')
      .get(id) as { id: number; orgUnitId: number } | undefined;
    if (!rm)
      throw new EmbedTokenError(
        `The token's sub names no relationship manager "${id}".`,
        'FORBIDDEN',
      );
    return { role: 'relationship_manager', orgUnitId: rm.orgUnitId, rmId: rm.id };
  }
  const user = db.sqlite
    .prepare(
      'SELECT role, org_unit_id AS orgUnitId, rm_id AS rmId, disabled FROM users WHERE username = ?',
    )
    .get(id) as
    { role: Role; orgUnitId: number | null; rmId: number | null; disabled: number } | undefined;
  if (!user || user.disabled)
    throw new EmbedTokenError(`The token's sub names no active user "${id}".`, 'FORBIDDEN');
  return { role: user.role, orgUnitId: user.orgUnitId, rmId: user.rmId };
}

/**
 * Verifies an embed token signed by a portal's back end: the signature with the live key its
 * header's `kid` names (HS256 or ES256, the key's own algorithm only), `exp` (30 s of clock
 * skew allowed) and a lifetime of at most `MAX_EMBED_TOKEN_SECONDS`, the request's origin
 * against the key's allowed origins, then the claims: who acts and the narrowing, which must lie
 * inside that person's own scope. Throws EmbedTokenError saying why.
 */
export async function verifyEmbedToken(
  db: StrataDb,
  token: string,
  origin: string | null,
  now: Date,
): Promise<EmbedIdentity> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new EmbedTokenError('The embed token is not a JWT.', 'UNAUTHORIZED');
  }
  if (!kid)
    throw new EmbedTokenError('The embed token’s header names no key (kid).', 'UNAUTHORIZED');
  const material = embedKeyFor(db, kid, now);
  if (!material)
    throw new EmbedTokenError(`Embed key ${kid} does not exist or was revoked.`, 'UNAUTHORIZED');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await keyOf(material), {
      algorithms: [material.alg],
      currentDate: now,
      clockTolerance: 30,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new EmbedTokenError(
      error instanceof errors.JWTExpired
        ? 'The embed token has expired.'
        : error instanceof errors.JWSSignatureVerificationFailed
          ? 'The embed token’s signature does not verify.'
          : error instanceof errors.JOSEAlgNotAllowed
            ? `The embed token must be signed with ${material.alg}.`
            : `The embed token was refused: ${(error as Error).message}`,
      'UNAUTHORIZED',
    );
  }
  const issued = payload.iat ?? Math.floor(now.getTime() / 1000);
  if ((payload.exp as number) - issued > MAX_EMBED_TOKEN_SECONDS)
    throw new EmbedTokenError(
      `The embed token lives ${(payload.exp as number) - issued} s; at most ${MAX_EMBED_TOKEN_SECONDS} s is accepted.`,
      'UNAUTHORIZED',
    );
  if (!origin || !material.origins.includes(origin))
    throw new EmbedTokenError(
      `Origin ${origin ?? '(none)'} is not allowed for embed key ${kid}.`,
      'FORBIDDEN',
    );
  const claims = embedClaimsSchema.safeParse(payload);
  if (!claims.success)
    throw new EmbedTokenError(
      `The embed token's claims are invalid: ${claims.error.issues.map((i) => `${i.path.join('.') || '(token)'}: ${i.message}`).join('; ')}`,
      'UNAUTHORIZED',
    );
  const person = actingScope(db, claims.data.sub);
  const asked = claims.data.scope;
  let scope: Scope = person;
  let kind: EmbedScopeKind = 'person';
  let resources = new Set<string>();
  if (asked && 'branch' in asked) {
    const unit = db.sqlite
      .prepare('SELECT id FROM org_units WHERE code = ?')
      .pluck()
      .get(asked.branch) as number | undefined;
    const root = scopeRoot(db, person);
    if (unit === undefined || (root !== null && !isWithinOrgUnit(db, unit, root)))
      throw new EmbedTokenError(
        `The token's branch ${asked.branch} is not inside ${claims.data.sub}'s scope.`,
        'FORBIDDEN',
      );
    scope = { ...person, within: { orgUnitId: unit } };
    kind = 'branch';
  } else if (asked && 'customers' in asked) {
    const ids = db.sqlite
      .prepare('SELECT id FROM customers WHERE external_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(asked.customers)) as number[];
    scope = { ...person, within: { customerIds: ids } };
    kind = 'customers';
  } else if (asked && 'resources' in asked) {
    resources = new Set(asked.resources);
    kind = 'resources';
  }
  return {
    kid,
    keyName: material.name,
    subject: claims.data.sub,
    scope,
    kind,
    resources,
    expiresAt: new Date((payload.exp as number) * 1000),
  };
}
