import { TRPCError, initTRPC } from '@trpc/server';
import { RuleError } from '@strata/core';
import { ZodError } from 'zod';
import { isWithinOrgUnit, scopeRoot, type Scope, type StrataDb } from '@strata/db';
import type { Role } from '@strata/db/schema';
import type { Context } from './context.js';
import type { EmbedIdentity } from './embed.js';

/**
 * What a procedure declares. `embed` opens it to embedded widgets (embed tokens): 'customer' for
 * one customer's data (any token scope; a customers-scoped token only for its customers),
 * 'aggregate' for figures over a branch or the bank (not for customers- or resources-scoped
 * tokens), 'resource' for a named segment's or strategy's figures (checked with
 * `assertEmbedResource`). Procedures without it refuse embed tokens.
 */
export interface ProcedureMeta {
  readonly embed?: 'customer' | 'aggregate' | 'resource';
  /**
   * The server may answer a repeated call from memory (the bytes it sent) until anything is
   * written to the database or the day changes: only for a query whose answer depends on
   * nothing but the database, the caller's scope (role, branch, RM, unmasking permission), its
   * input and the date — not on the caller's name (apps/server answers.ts).
   */
  readonly remember?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Clients get the code, a message and, for bad input, which field and why; never a stack or SQL.
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        // an unexpected failure's own message may name tables or SQL: clients get a plain one
        message:
          error.code === 'INTERNAL_SERVER_ERROR'
            ? 'Something went wrong on the server; it has been logged.'
            : shape.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          issues:
            cause instanceof ZodError
              ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
              : cause instanceof RuleError
                ? cause.issues
                : undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * A procedure anyone may call. A mutation sent with a session cookie must echo the session's
 * CSRF token in `x-strata-csrf` (another site can make a browser send the cookie, not the header).
 */
export const publicProcedure = t.procedure.use(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.session && ctx.http.csrfHeader !== ctx.session.csrf)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Missing or wrong x-strata-csrf header for a signed-in request.',
    });
  return next();
});

/** Who is calling: a signed-in user or a service token, with their scope. */
export interface Caller {
  readonly actor: string;
  readonly scope: Scope;
  readonly canUnmask: boolean;
  /** Set for a widget's request: the embed token's identity. */
  readonly embed?: EmbedIdentity;
}

/** Who is calling, from a request's context: a signed-in user, a service token, or null. */
export function callerOf(ctx: Context): Caller | null {
  if (ctx.embed)
    return {
      actor: `${ctx.embed.subject} via embed:${ctx.embed.kid}`,
      scope: ctx.embed.scope,
      canUnmask: false, // widgets never unmask
      embed: ctx.embed,
    };
  const user = ctx.session?.user;
  if (user)
    return {
      actor: user.username,
      scope: { role: user.role, orgUnitId: user.orgUnitId, rmId: user.rmId },
      canUnmask: user.canUnmask,
    };
  if (ctx.service)
    return {
      actor: `token:${ctx.service.name}`,
      scope: { role: ctx.service.role, orgUnitId: ctx.service.orgUnitId, rmId: ctx.service.rmId },
      canUnmask: false,
    };
  return null;
}

/** A procedure for signed-in users and service tokens only; `ctx.caller` says who. */
export const signedInProcedure = publicProcedure.use(({ ctx, meta, next }) => {
  if (ctx.embedError)
    throw new TRPCError({ code: ctx.embedError.code, message: ctx.embedError.message });
  const caller = callerOf(ctx);
  if (!caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  const embed = caller.embed;
  if (embed) {
    const use = meta?.embed;
    const allowed =
      use === 'customer'
        ? embed.kind !== 'resources'
        : use === 'aggregate'
          ? embed.kind === 'person' || embed.kind === 'branch'
          : use === 'resource' && embed.kind !== 'customers';
    if (!allowed)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: use
          ? `An embed token with a ${embed.kind} scope may not call this.`
          : 'This is not available to embedded widgets.',
      });
  }
  return next({ ctx: { ...ctx, caller } });
});

/**
 * For 'resource' procedures: a resources-scoped embed token must name the resource
 * (`strategy:<key>` or `segment:<key>`); other callers pass.
 */
export function assertEmbedResource(caller: Caller, resource: string): void {
  if (caller.embed?.kind === 'resources' && !caller.embed.resources.has(resource))
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `The embed token does not name ${resource}.`,
    });
}

/** A procedure for signed-in callers whose role is one of `roles`; others get FORBIDDEN. */
export function rolesProcedure(...roles: readonly Role[]) {
  return signedInProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.caller.scope.role))
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs one of the roles ${roles.join(', ')}; you are ${ctx.caller.scope.role}.`,
      });
    return next();
  });
}

/** The roles that see and shape the whole bank. */
export const HEAD_OFFICE: readonly Role[] = ['admin', 'strategist'];

/**
 * The org unit an aggregate view is for: the one asked for (null: the whole bank), bounded by
 * the caller's scope. A branch manager or RM asking for nothing gets their own unit; asking for
 * a unit outside their subtree is "not found", exactly as for a unit that does not exist.
 */
export function scopedBranch(db: StrataDb, caller: Caller, asked: number | null): number | null {
  const root = scopeRoot(db, caller.scope);
  if (root === null) return asked;
  if (asked === null) return root;
  if (!isWithinOrgUnit(db, asked, root))
    throw new TRPCError({ code: 'NOT_FOUND', message: `No org unit ${asked}.` });
  return asked;
}
