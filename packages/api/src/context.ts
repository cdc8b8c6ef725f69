import { defaultScorers, type ScorerRegistry } from '@strata/core';
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
  /** A service token from `Authorization: Bearer stk_…`. */
  readonly bearer?: string | null;
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
  const service = http.bearer ? (readServiceToken(db, http.bearer) ?? null) : null;
  return {
    db,
    now,
    session: found && token ? { ...found, token } : null,
    service,
    http,
    scorers,
  };
}
