import { REVEALABLE, getCustomerCard, revealCustomerField } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { signedInProcedure } from '../trpc.js';

const customerId = z.number().int().positive();
const notFound = (id: number) =>
  new TRPCError({ code: 'NOT_FOUND', message: `No customer ${id}.` });

export const customersRouter = {
  /**
   * One customer, personal data masked, within the caller's scope. A customer outside it is
   * "not found", exactly as one that does not exist.
   */
  get: signedInProcedure.input(z.object({ customer: customerId })).query(({ ctx, input }) => {
    const card = getCustomerCard(ctx.db, ctx.caller.scope, input.customer);
    if (!card) throw notFound(input.customer);
    return card;
  }),

  /** One personal field unmasked: needs the permission and a stated reason; audited. */
  reveal: signedInProcedure
    .input(
      z.object({
        customer: customerId,
        field: z.enum(REVEALABLE),
        reason: z.string().trim().min(4, 'state the reason (at least 4 characters)').max(200),
      }),
    )
    .mutation(({ ctx, input }) => {
      if (!ctx.caller.canUnmask)
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'Your role may not see unmasked personal data.',
        });
      const value = revealCustomerField(
        ctx.db,
        {
          scope: ctx.caller.scope,
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          customerId: input.customer,
          field: input.field,
          reason: input.reason,
        },
        ctx.now(),
      );
      if (value === undefined) throw notFound(input.customer);
      return { field: input.field, value };
    }),
};
