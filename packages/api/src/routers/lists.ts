import {
  generateStrategyLists,
  getList,
  getListEntries,
  listLists,
  previewStrategyLists,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { strategyCall } from '../strategy-errors.js';
import { z } from 'zod';
import { periodInput } from '../inputs.js';
import { HEAD_OFFICE, rolesProcedure, signedInProcedure } from '../trpc.js';

const listId = z.number().int().positive();

/** Lists (名单): made by the head office for active strategies, read within each caller's scope. */
export const listsRouter = {
  /**
   * Makes the lists of active strategies for a month in one run (they arbitrate against each
   * other and against the month's earlier lists). Stored whole or not at all; audited.
   */
  generate: rolesProcedure(...HEAD_OFFICE)
    .input(
      z.object({
        keys: z.array(z.string().min(1).max(64)).min(1).max(50),
        period: periodInput.optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      return strategyCall(() =>
        generateStrategyLists(ctx.db, {
          keys: input.keys,
          ...(input.period !== undefined && { period: input.period as `${number}-${number}` }),
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
          scorers: ctx.scorers,
        }),
      );
    }),

  /**
   * What generating would make now (counts after eligibility, caps, arbitration, control and the
   * model), nothing stored: for the editor's preview; drafts and paused strategies included.
   */
  preview: rolesProcedure(...HEAD_OFFICE)
    .input(
      z.object({
        keys: z.array(z.string().min(1).max(64)).min(1).max(50),
        period: periodInput.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      strategyCall(() =>
        previewStrategyLists(ctx.db, {
          keys: input.keys,
          ...(input.period !== undefined && { period: input.period as `${number}-${number}` }),
          now: ctx.now(),
          scorers: ctx.scorers,
        }),
      ),
    ),

  /** The lists of a strategy (or of all), newest first, with their counts. */
  list: signedInProcedure
    .input(
      z
        .object({
          strategy: z.string().min(1).max(64).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) =>
      listLists(ctx.db, {
        ...(input.strategy !== undefined && { strategyKey: input.strategy }),
        limit: input.limit,
      }),
    ),

  /** A list's strategy, version, month and counts (audience, listed, control, exclusions). */
  get: signedInProcedure.input(z.object({ id: listId })).query(({ ctx, input }) => {
    const list = getList(ctx.db, input.id);
    if (!list) throw new TRPCError({ code: 'NOT_FOUND', message: `No list ${input.id}.` });
    return list;
  }),

  /** A list's customers within the caller's scope (no personal data), a page at a time. */
  entries: signedInProcedure
    .input(
      z.object({
        id: listId,
        limit: z.number().int().min(1).max(1_000).default(100),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(({ ctx, input }) => {
      if (!getList(ctx.db, input.id))
        throw new TRPCError({ code: 'NOT_FOUND', message: `No list ${input.id}.` });
      return getListEntries(ctx.db, input.id, ctx.caller.scope, {
        limit: input.limit,
        offset: input.offset,
      });
    }),
};
