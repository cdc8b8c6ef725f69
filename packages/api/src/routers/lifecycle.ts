import {
  funnelFromCounts,
  migrationFromCounts,
  type FunnelRow,
  type MigrationMatrix,
} from '@strata/core';
import {
  getInsightMatrix,
  getLatestInsightRun,
  getLatestLifecycleRun,
  getLifecycleFunnel,
  getLifecycleMigration,
  type LifecycleRunRow,
  type StrataDb,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { orgUnitInput, periodInput } from '../inputs.js';
import { scopedBranch, signedInProcedure, type Caller } from '../trpc.js';
import { resolveOrgUnit, type OrgUnitRef } from './org.js';

function latestRun(db: StrataDb): LifecycleRunRow {
  const run = getLatestLifecycleRun(db);
  if (!run)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'No lifecycle run has finished yet: seed or import data, then refresh.',
    });
  return run;
}

/** The org unit asked for, bounded by the caller's scope (null: the whole bank). */
function branchFor(
  db: StrataDb,
  caller: Caller,
  asked: number | string | undefined,
): OrgUnitRef | null {
  const unit = scopedBranch(db, caller, asked === undefined ? null : resolveOrgUnit(db, asked).id);
  return unit === null ? null : resolveOrgUnit(db, unit);
}

function checkPeriod(run: LifecycleRunRow, period: string): string {
  if (!run.periods.includes(period)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `No lifecycle data for ${period}; the latest run covers ${run.periods[0]} to ${run.periods[run.periods.length - 1]}.`,
    });
  }
  return period;
}

/** The lifecycle funnel of one period. */
export interface FunnelResult {
  readonly runId: number;
  readonly period: string;
  readonly periods: readonly string[];
  readonly branch: OrgUnitRef | null;
  /** The segment when the funnel is of one segment's members. */
  readonly segment: { readonly key: string; readonly name: string; readonly nameEn: string } | null;
  readonly total: number;
  readonly rows: readonly FunnelRow[];
}

/** The migration between two periods. */
export interface MigrationResult {
  readonly runId: number;
  readonly from: string;
  readonly to: string;
  readonly branch: OrgUnitRef | null;
  readonly matrix: MigrationMatrix;
}

export const lifecycleRouter = {
  /** The periods of the latest lifecycle run, oldest first. */
  periods: signedInProcedure.meta({ embed: 'customer' }).query(({ ctx }) => {
    const run = latestRun(ctx.db);
    return { runId: run.id, periods: run.periods, finishedAt: run.finishedAt };
  }),

  /** Customers per stage in a period (default: the latest), for the whole bank or a branch subtree. */
  funnel: signedInProcedure
    .meta({ embed: 'aggregate', remember: true })
    .input(
      z
        .object({
          period: periodInput.optional(),
          branch: orgUnitInput.optional(),
          /** A segment's key: its members only (from the insight run of the period). */
          segment: z.string().min(1).max(64).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }): FunnelResult => {
      const run = latestRun(ctx.db);
      const period = checkPeriod(
        run,
        input.period ?? (run.periods[run.periods.length - 1] as string),
      );
      const branch = branchFor(ctx.db, ctx.caller, input.branch);
      let counts;
      let segment: FunnelResult['segment'] = null;
      if (input.segment === undefined) {
        counts = getLifecycleFunnel(ctx.db, { runId: run.id, period, orgUnitId: branch?.id });
      } else {
        const key = input.segment;
        segment =
          (ctx.db.sqlite
            .prepare('SELECT key, name, name_en AS nameEn FROM segments WHERE key = ?')
            .get(key) as FunnelResult['segment'] | undefined) ?? null;
        if (!segment) throw new TRPCError({ code: 'NOT_FOUND', message: `No segment "${key}".` });
        const insight = getLatestInsightRun(ctx.db, period);
        if (!insight)
          throw new TRPCError({
            code: 'PRECONDITION_FAILED',
            message: `No insight run has finished for ${period}: a segment's funnel needs one.`,
          });
        counts = getInsightMatrix(ctx.db, {
          runId: insight.id,
          dimension: 'segment',
          orgUnitId: branch?.id,
        })
          .filter((c) => c.value === key)
          .map((c) => ({ stage: c.stage, count: c.customers, aum: c.aum }));
      }
      const rows = funnelFromCounts(counts);
      return {
        runId: run.id,
        period,
        periods: run.periods,
        branch,
        segment,
        total: rows.reduce((a, r) => a + r.count, 0),
        rows,
      };
    }),

  /** Who moved from which stage to which between two periods (default: the last two). */
  migration: signedInProcedure
    .input(
      z
        .object({
          from: periodInput.optional(),
          to: periodInput.optional(),
          branch: orgUnitInput.optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }): MigrationResult => {
      const run = latestRun(ctx.db);
      const to = checkPeriod(run, input.to ?? (run.periods[run.periods.length - 1] as string));
      const from = checkPeriod(run, input.from ?? run.periods[run.periods.indexOf(to) - 1] ?? to);
      if (from >= to)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `"from" (${from}) must be an earlier period than "to" (${to}).`,
        });
      const branch = branchFor(ctx.db, ctx.caller, input.branch);
      const matrix = migrationFromCounts(
        getLifecycleMigration(ctx.db, { runId: run.id, from, to, orgUnitId: branch?.id }),
      );
      return { runId: run.id, from, to, branch, matrix };
    }),
};
