import { TRPCError, initTRPC } from '@trpc/server';
import { RuleError } from '@strata/core';
import { ZodError } from 'zod';
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
