import type { Server } from 'node:http';

/** The narrowing an embed token may carry. */
export type EmbedScope = { customers: string[] } | { branch: string } | { resources: string[] };

/** Signs an embed token (HS256) for `sub` (`rm:<code>` or `user:<username>`). */
export function signEmbedToken(options: {
  kid: string;
  secret: string;
  sub: string;
  scope?: EmbedScope;
  seconds?: number;
}): Promise<string>;

/** Claims a page view's token gets (and, for `customer`, the page's customer). */
export interface PageClaims {
  sub?: string;
  scope?: EmbedScope;
  seconds?: number;
  customer?: string;
}

/** Starts the example portal back end. */
export function startPortal(options: {
  strata: string;
  kid: string;
  secret: string;
  rm: string;
  customer?: string;
  segment?: string;
  strategy?: string;
  port?: number;
  host?: string;
  claims?: (path: string) => PageClaims;
}): Promise<{
  url: string;
  server: Server;
  setKey(key: { kid: string; secret: string }): void;
}>;
