import { TRPCError, initTRPC } from '@trpc/server';
import { RuleError } from '@strata/core';
import { ZodError } from 'zod';
import type { Scope } from '@strata/db';
import type { Context } from './context.js';

const t = initTRPC.context<Context>().create({
  // Clients get the code, a message and, for bad input, which field and why; never a stack or SQL.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      message: shape.message,
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
}

/** A procedure for signed-in users and service tokens only; `ctx.caller` says who. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  const user = ctx.session?.user;
  const caller: Caller | null = user
    ? {
        actor: user.username,
        scope: { role: user.role, orgUnitId: user.orgUnitId, rmId: user.rmId },
        canUnmask: user.canUnmask,
      }
    : ctx.service
      ? {
          actor: `token:${ctx.service.name}`,
          scope: {
            role: ctx.service.role,
            orgUnitId: ctx.service.orgUnitId,
            rmId: ctx.service.rmId,
          },
          canUnmask: false,
        }
      : null;
  if (!caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, caller } });
});
