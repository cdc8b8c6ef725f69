export { appRouter, createCaller } from './root.js';
export type { AppRouter } from './root.js';
export { SESSION_COOKIE, createContext, createRequestContext } from './context.js';
export {
  EmbedTokenError,
  MAX_EMBED_TOKEN_SECONDS,
  embedClaimsSchema,
  looksLikeJwt,
  verifyEmbedToken,
} from './embed.js';
export type { EmbedIdentity, EmbedScopeKind } from './embed.js';
export type { Context, HttpInfo } from './context.js';
export type { FunnelResult, MigrationResult } from './routers/lifecycle.js';
export type { OrgUnitRef } from './routers/org.js';
export { ImportJobs, importJobs } from './imports.js';
export type { LiveImport } from './imports.js';
export { callerOf } from './trpc.js';
export type { Caller } from './trpc.js';
