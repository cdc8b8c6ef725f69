import { ACTION_RESULTS, getCustomerCard, nextActions, recordAction } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { customerRefInput, visibleCustomer } from '../customer-ref.js';
import { strategyCall } from '../strategy-errors.js';
import { signedInProcedure } from '../trpc.js';

/** Next best actions for the front line (the RM workbench widget), and what came of them. */
export const actionsRouter = {
  /**
   * The next best actions of one customer, or — without `customer` — of every customer in the
   * caller's scope (an RM's own book), highest priority first: the active strategies whose
   * current list has the customer in its treatment arm with the outcome still open, with
   * products, channel, script (话术) and why. Customers' personal data masked.
   */
  next: signedInProcedure
    .meta({ embed: 'customer' })
    .input(
      z
        .object({
          customer: customerRefInput.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => {
      const card =
        input.customer === undefined ? null : visibleCustomer(ctx.db, ctx.caller, input.customer);
      const actions = nextActions(ctx.db, ctx.caller.scope, {
        customerId: card?.id,
        limit: input.limit,
      });
      const customers = card
        ? [card]
        : [...new Set(actions.map((a) => a.customerId))].flatMap(
            (id) => getCustomerCard(ctx.db, ctx.caller.scope, id) ?? [],
          );
      return { customer: card, customers, actions };
    }),

  /**
   * Records what came of an action: contacted, accepted, declined (starts the cooling-off) or
   * converted with the amount — merged with what was recorded before, on the list's outcome
   * that the strategy's review counts. Only for a treatment customer on the list, in scope.
   * Audited (with the embed key, from a widget).
   */
  record: signedInProcedure
    .meta({ embed: 'customer' })
    .input(
      z.object({
        listId: z.number().int().positive(),
        /** The customer's id, or the bank's customer number. */
        customer: customerRefInput,
        result: z.enum(ACTION_RESULTS),
        amount: z.number().finite().min(0).max(1e12).nullable().optional(),
        feedback: z.string().trim().max(500).nullable().optional(),
        occurredOn: z.iso.date().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      if (ctx.caller.scope.role === 'viewer')
        throw new TRPCError({ code: 'FORBIDDEN', message: 'A viewer may not record outcomes.' });
      if (input.result === 'converted' && (input.amount === undefined || input.amount === null))
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'A conversion needs its amount (0 when there is none).',
        });
      const card = visibleCustomer(ctx.db, ctx.caller, input.customer);
      const outcome = strategyCall(() =>
        recordAction(
          ctx.db,
          {
            listId: input.listId,
            customerId: card.id,
            result: input.result,
            amount: input.amount ?? null,
            feedback: input.feedback ?? null,
            occurredOn: input.occurredOn ?? ctx.now().toISOString().slice(0, 10),
          },
          {
            scope: ctx.caller.scope,
            actor: ctx.caller.actor,
            origin: ctx.http.origin ?? ctx.http.ip ?? null,
            now: ctx.now(),
          },
        ),
      );
      return { listId: input.listId, customer: card.id, result: input.result, outcome };
    }),
};
