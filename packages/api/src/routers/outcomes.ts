import { minimumDetectableEffect, requiredAudience } from '@strata/core';
import { recordOutcomes, reviewStrategy, strategyBoard } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { strategyCall } from '../strategy-errors.js';
import { z } from 'zod';
import { rolesProcedure, signedInProcedure } from '../trpc.js';

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
   * The strategy board (策略管理看板): every active or paused strategy's reach, contacts,
   * conversions, amount, uplift with its interval, and KPI progress, in one call.
   */
  board: rolesProcedure('admin', 'strategist', 'viewer').query(({ ctx }) => strategyBoard(ctx.db)),

  /**
   * A strategy's review (回检) per version: treatment against control conversion (uplift,
   * interval, z-test), recorded amounts (Welch), the objective's metric from the monthly data
   * (or difference in differences without a control group), the model and rule groups, the map
   * cells, and a recommendation with its reason.
   */
  review: rolesProcedure('admin', 'strategist', 'viewer')
    .input(z.object({ key: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => strategyCall(() => reviewStrategy(ctx.db, input.key))),

  /**
   * Planning a test: the audience (treatment + control) needed to detect an uplift on a baseline
   * conversion rate, and the smallest uplift a given audience can detect, for a control share,
   * significance and power.
   */
  plan: signedInProcedure
    .input(
      z.object({
        baseline: z.number().gt(0).lt(1),
        controlShare: z.number().gt(0).lt(1),
        alpha: z.number().gt(0).lt(0.5).default(0.05),
        power: z.number().gt(0.5).lt(1).default(0.8),
        /** An absolute uplift to detect (e.g. 0.02 for 2 points). */
        uplift: z.number().gt(0).lt(1).optional(),
        /** An audience to judge. */
        audience: z.number().int().min(10).max(1e9).optional(),
      }),
    )
    .query(({ input }) => {
      const options = {
        baseline: input.baseline,
        controlShare: input.controlShare,
        alpha: input.alpha,
        power: input.power,
      };
      if (input.uplift !== undefined && input.baseline + input.uplift >= 1)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `An uplift of ${input.uplift} on a baseline of ${input.baseline} passes 100 %.`,
        });
      const audience =
        input.audience ??
        (input.uplift === undefined ? undefined : requiredAudience(input.uplift, options));
      if (audience === undefined)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Give an uplift or an audience.' });
      return {
        ...options,
        uplift: input.uplift ?? null,
        audience,
        treatment: Math.round(audience * (1 - input.controlShare)),
        control: Math.round(audience * input.controlShare),
        minimumDetectableEffect: minimumDetectableEffect(audience, options),
      };
    }),
};
