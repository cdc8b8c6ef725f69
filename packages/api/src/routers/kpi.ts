import { LIFECYCLE_STAGES, addMonths, isPeriod } from '@strata/core';
import { getInsightMatrix, getLatestInsightRun, strategyBoard } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { orgUnitInput } from '../inputs.js';
import { assertEmbedResource, scopedBranch, signedInProcedure } from '../trpc.js';
import { latestRun } from './insight.js';
import { resolveOrgUnit } from './org.js';

const key = z.string().trim().min(1).max(64);

/** Headline figures of one segment or strategy, in the caller's scope (the KPI tile). */
export const kpiRouter = {
  /**
   * A segment's members and their AUM in the latest insight run, within the caller's scope (and
   * a branch's subtree, if given), their share of all customers there, per-stage counts, and the
   * same figures a month earlier when that month was run.
   */
  segment: signedInProcedure
    .meta({ embed: 'resource' })
    .input(z.object({ key, branch: orgUnitInput.optional() }))
    .query(({ ctx, input }) => {
      assertEmbedResource(ctx.caller, `segment:${input.key}`);
      const segment = ctx.db.sqlite
        .prepare('SELECT key, name, name_en AS nameEn FROM segments WHERE key = ?')
        .get(input.key) as { key: string; name: string; nameEn: string } | undefined;
      if (!segment)
        throw new TRPCError({ code: 'NOT_FOUND', message: `No segment "${input.key}".` });
      const run = latestRun(ctx.db);
      const asked = input.branch === undefined ? null : resolveOrgUnit(ctx.db, input.branch).id;
      const unit = scopedBranch(ctx.db, ctx.caller, asked) ?? undefined;
      const figures = (runId: number) => {
        const cells = getInsightMatrix(ctx.db, { runId, dimension: 'segment', orgUnitId: unit });
        const mine = cells.filter((c) => c.value === input.key);
        const all = getInsightMatrix(ctx.db, { runId, dimension: 'primary', orgUnitId: unit });
        const total = all.reduce((a, c) => a + c.customers, 0);
        const customers = mine.reduce((a, c) => a + c.customers, 0);
        return {
          customers,
          aum: mine.reduce((a, c) => a + c.aum, 0),
          share: total === 0 ? 0 : customers / total,
          stages: LIFECYCLE_STAGES.map((stage) => ({
            stage,
            customers: mine.find((c) => c.stage === stage)?.customers ?? 0,
          })),
        };
      };
      const before = isPeriod(run.period)
        ? getLatestInsightRun(ctx.db, addMonths(run.period, -1))
        : undefined;
      return {
        ...segment,
        period: run.period,
        branch: unit === undefined ? null : resolveOrgUnit(ctx.db, unit),
        ...figures(run.id),
        previous: before
          ? (({ customers, aum }) => ({ period: before.period, customers, aum }))(
              figures(before.id),
            )
          : null,
      };
    }),

  /**
   * A strategy's reach, contacts, conversions, amount, uplift against its control group (with
   * the interval) and KPI progress, counting only the list customers in the caller's scope.
   */
  strategy: signedInProcedure
    .meta({ embed: 'resource' })
    .input(z.object({ key }))
    .query(({ ctx, input }) => {
      assertEmbedResource(ctx.caller, `strategy:${input.key}`);
      const [row] = strategyBoard(ctx.db, { scope: ctx.caller.scope, key: input.key });
      if (!row)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `No active or paused strategy "${input.key}".`,
        });
      return row;
    }),
};
