import { recordOutcomes, reviewStrategy, strategyBoard } from '@strata/db';
import { strategyCall } from '../strategy-errors.js';
import { z } from 'zod';
import { rolesProcedure } from '../trpc.js';

const outcome = z.object({
  customerId: z.number().int().positive(),
  contacted: z.boolean().default(false),
  responded: z.boolean().default(false),
  declined: z.boolean().default(false),
  converted: z.boolean().default(false),
  amount: z.number().finite().min(0).max(1e12).nullable().default(null),
  feedback: z.string().max(500).nullable().default(null),
  occurredOn: z.iso.date(),
});

/** Outcomes of lists and the review (回检) they feed. */
export const outcomesRouter = {
  /**
   * Records outcomes on a list: contacted, responded, declined (starts the cooling-off),
   * converted, amount, feedback. Only customers on the list and in the caller's scope (an RM
   * their own); otherwise nothing is recorded and the error names them. Audited.
   */
  record: rolesProcedure('admin', 'strategist', 'branch_manager', 'relationship_manager')
    .input(
      z.object({
        listId: z.number().int().positive(),
        outcomes: z.array(outcome).min(1).max(5_000),
      }),
    )
    .mutation(({ ctx, input }) =>
      strategyCall(() =>
        recordOutcomes(ctx.db, input.listId, input.outcomes, {
          scope: ctx.caller.scope,
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),

  /**
   * A strategy's review per version: treatment against control conversion (uplift, interval,
   * z-test), amounts (Welch), and a recommendation with its reason.
   */
  /**
   * The strategy board (策略管理看板): every active or paused strategy's reach, contacts,
   * conversions, amount, uplift with its interval, and KPI progress, in one call.
   */
  board: rolesProcedure('admin', 'strategist', 'viewer').query(({ ctx }) => strategyBoard(ctx.db)),

  review: rolesProcedure('admin', 'strategist', 'viewer')
    .input(z.object({ key: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => strategyCall(() => reviewStrategy(ctx.db, input.key))),
};
