import { defaultScorers, type ScorerRegistry } from '@strata/core';
import { EmbedTokenError, looksLikeJwt, verifyEmbedToken, type EmbedIdentity } from './embed.js';
import {
  readServiceToken,
  readSession,
  type ServiceTokenRow,
  type StrataDb,
  type UserRow,
} from '@strata/db';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'strata_session';

/** What the HTTP layer tells a request's context. */
export interface HttpInfo {
  /** The session cookie's token, if the request carried one. */
  readonly sessionToken?: string | null;
  /** A service token (`Authorization: Bearer stk_…`) or an embed token (a JWT). */
  readonly bearer?: string | null;
  /** The page's origin (the `Origin` header, else the `Referer`'s), for embed tokens. */
  readonly origin?: string | null;
  /** The `x-strata-csrf` header. */
  readonly csrfHeader?: string | null;
  /** The client's address, for rate limits and the audit log. */
  readonly ip?: string | null;
  /** True behind TLS: cookies are then marked Secure. */
  readonly secure?: boolean;
  /** Adds a `Set-Cookie` header to the response. */
  readonly setCookie?: (header: string) => void;
}

/** What every procedure can reach. Built per request by the server; tests build it directly. */
export interface Context {
  readonly db: StrataDb;
  /** The clock, so tests can fix it. */
  readonly now: () => Date;
  /** The signed-in user of the session cookie, or null. */
  readonly session: {
    readonly user: UserRow;
    readonly csrf: string;
    readonly token: string;
  } | null;
  /** The machine identity of a service token, or null. Bearer tokens need no CSRF token. */
  readonly service: ServiceTokenRow | null;
  readonly http: HttpInfo;
  /** The verified embed token of a widget's request, or null. */
  readonly embed: EmbedIdentity | null;
  /** Why the request's embed token was refused; procedures answer with it. */
  readonly embedError: EmbedTokenError | null;
  /** The models strategies may name (built-in ones, plus the server's model files). */
  readonly scorers: ScorerRegistry;
}

const BUILT_IN = defaultScorers();

/** Creates the context over an open database (and, from the server, the request's HTTP facts). */
export function createContext(
  db: StrataDb,
  now: () => Date = () => new Date(),
  http: HttpInfo = {},
  scorers: ScorerRegistry = BUILT_IN,
): Context {
  const token = http.sessionToken ?? null;
  const found = token ? readSession(db, token, now()) : undefined;
  const service =
    http.bearer && !looksLikeJwt(http.bearer) ? (readServiceToken(db, http.bearer) ?? null) : null;
  return {
    db,
    now,
    session: found && token ? { ...found, token } : null,
    service,
    http,
    embed: null,
    embedError: null,
    scorers,
  };
}

/**
 * The context of an HTTP request: as `createContext`, and a bearer JWT verified as an embed
 * token (its key, expiry, the request's origin, its claims). A refused token is kept as
 * `embedError`, so every procedure answers with the reason instead of as if signed out.
 */
export async function createRequestContext(
  db: StrataDb,
  now: () => Date,
  http: HttpInfo,
  scorers: ScorerRegistry = BUILT_IN,
): Promise<Context> {
  const base = createContext(db, now, http, scorers);
  if (!http.bearer || !looksLikeJwt(http.bearer)) return base;
  try {
    return { ...base, embed: await verifyEmbedToken(db, http.bearer, http.origin ?? null, now()) };
  } catch (error) {
    if (!(error instanceof EmbedTokenError)) throw error;
    return { ...base, embedError: error };
  }
}
