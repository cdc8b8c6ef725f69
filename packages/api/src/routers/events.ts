import { MOT_EVENT_TYPES } from '@strata/core';
import { ingestEvent, listTasks } from '@strata/db';
import { strategyCall } from '../strategy-errors.js';
import { z } from 'zod';
import { HEAD_OFFICE, rolesProcedure, signedInProcedure } from '../trpc.js';

/** Moments of truth in real time, and the RM tasks they raise. */
export const eventsRouter = {
  /**
   * An event from a core system (a service token of a head-office role): stored, and every active
   * strategy it triggers decides in this request whether the customer's RM gets a task (same
   * arbitration and caps as lists; due after the quiet hours). Idempotent by `externalId`.
   */
  ingest: rolesProcedure(...HEAD_OFFICE)
    .input(
      z.object({
        customer: z.union([z.number().int().positive(), z.string().min(1).max(64)]),
        type: z.enum(MOT_EVENT_TYPES),
        occurredOn: z.iso.date(),
        amount: z.number().finite().nullable().optional(),
        externalId: z.string().min(1).max(64).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      return strategyCall(() =>
        ingestEvent(ctx.db, input, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      );
    }),

  /** Open tasks in the caller's scope (an RM their own), soonest first. */
  tasks: signedInProcedure
    .input(
      z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listTasks(ctx.db, ctx.caller.scope, input.limit)),
};
