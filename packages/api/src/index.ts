export { appRouter, createCaller } from './root.js';
export type { AppRouter } from './root.js';
export { SESSION_COOKIE, createContext } from './context.js';
export type { Context, HttpInfo } from './context.js';
export type { FunnelResult, MigrationResult } from './routers/lifecycle.js';
export type { OrgUnitRef } from './routers/org.js';
