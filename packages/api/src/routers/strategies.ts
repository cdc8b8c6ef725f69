import { STRATEGY_STATUSES, strategyDefinitionSchema } from '@strata/core';
import {
  StrategyError,
  createStrategy,
  getStrategy,
  listStrategies,
  listStrategyVersions,
  setStrategyStatus,
  updateStrategy,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { HEAD_OFFICE, rolesProcedure, signedInProcedure } from '../trpc.js';

const key = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a key is 2–64 lower-case letters, digits and -');

/** The db layer's refusals as API errors. */
function run<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof StrategyError)
      throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

/** Strategies (DESIGN.md §3): read by every signed-in user, shaped by the head office; audited. */
export const strategiesRouter = {
  /** Every strategy at its current version. */
  list: signedInProcedure.query(({ ctx }) => listStrategies(ctx.db)),

  /** One strategy at its current version, or at `version`. */
  get: signedInProcedure
    .input(z.object({ key, version: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => {
      const found = getStrategy(ctx.db, input.key, input.version);
      if (!found)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `No strategy "${input.key}"${input.version ? ` version ${input.version}` : ''}.`,
        });
      return { ...found, versions: listStrategyVersions(ctx.db, input.key) };
    }),

  /** Creates a strategy as a draft (version 1). */
  create: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, definition: strategyDefinitionSchema }))
    .mutation(({ ctx, input }) =>
      run(() =>
        createStrategy(ctx.db, input.key, input.definition, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),

  /** Edits a strategy: a new version; lists and results keep the version they ran with. */
  update: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, definition: strategyDefinitionSchema }))
    .mutation(({ ctx, input }) =>
      run(() =>
        updateStrategy(ctx.db, input.key, input.definition, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),

  /** Activates, pauses or retires a strategy. */
  setStatus: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, status: z.enum(STRATEGY_STATUSES) }))
    .mutation(({ ctx, input }) =>
      run(() =>
        setStrategyStatus(ctx.db, input.key, input.status, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),
};
