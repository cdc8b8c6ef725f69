import { initTRPC } from '@trpc/server';
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
/** A procedure anyone may call. The only builder until users and roles exist. */
export const publicProcedure = t.procedure;
