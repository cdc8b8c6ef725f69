import {
  REVEALABLE,
  customerListEntries,
  getCustomerCard,
  revealCustomerField,
  searchCustomers,
} from '@strata/db';
import { latestRun } from './insight.js';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { customerRefInput, visibleCustomer } from '../customer-ref.js';
import { scopedBranch, signedInProcedure } from '../trpc.js';

const customerId = z.number().int().positive();
const notFound = (id: number) =>
  new TRPCError({ code: 'NOT_FOUND', message: `No customer ${JSON.stringify(id)}.` });

export const customersRouter = {
  /**
   * Customers in the caller's scope, by customer number or surname, branch, kind, stage, value
   * tier or segment (against the latest insight run), a page at a time, personal data masked.
   */
  search: signedInProcedure
    .input(
      z.object({
        q: z.string().trim().max(64).optional(),
        branch: z.number().int().positive().optional(),
        kind: z.enum(['retail', 'corporate']).optional(),
        stage: z.string().max(32).optional(),
        /** The stage the month before (`none`: new customers), to drill into a migration cell. */
        previousStage: z.string().max(32).optional(),
        valueTier: z.string().max(32).optional(),
        segment: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(({ ctx, input }) => {
      const run = latestRun(ctx.db);
      const { limit, offset, branch: asked, ...filter } = input;
      // a branch outside the caller's scope is "not found", as elsewhere
      const branch =
        asked === undefined ? undefined : (scopedBranch(ctx.db, ctx.caller, asked) ?? undefined);
      return {
        period: run.period,
        ...searchCustomers(
          ctx.db,
          ctx.caller.scope,
          run,
          { ...filter, ...(branch !== undefined && { orgUnitId: branch }) },
          { limit, offset },
        ),
      };
    }),

  /** A customer's places on strategy lists, with arm and outcome (the caller's scope applied). */
  lists: signedInProcedure.input(z.object({ customer: customerId })).query(({ ctx, input }) => {
    if (!getCustomerCard(ctx.db, ctx.caller.scope, input.customer)) throw notFound(input.customer);
    return customerListEntries(ctx.db, ctx.caller.scope, input.customer);
  }),

  /**
   * One customer, personal data masked, within the caller's scope. A customer outside it is
   * "not found", exactly as one that does not exist.
   */
  get: signedInProcedure
    .meta({ embed: 'customer' })
    .input(z.object({ customer: customerRefInput }))
    .query(({ ctx, input }) => visibleCustomer(ctx.db, ctx.caller, input.customer)),

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
