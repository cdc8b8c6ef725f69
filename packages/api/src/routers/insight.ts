import { FEATURES, INSIGHT_DIMENSIONS, clusteringLab, type FeatureKey } from '@strata/core';
import {
  corporateDeposits,
  getCustomerProfile,
  getInsightMatrix,
  getLatestInsightRun,
  listInsightRuns,
  loadPeriods,
  defaultInsightConfig,
  runInsightRefresh,
  warmColumns,
  type StrataDb,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { featureFrameOf } from '../frames.js';
import { customerIdOf, customerRefInput } from '../customer-ref.js';
import { orgUnitInput, periodInput } from '../inputs.js';
import { HEAD_OFFICE, rolesProcedure, scopedBranch, signedInProcedure } from '../trpc.js';
import { resolveOrgUnit } from './org.js';

/** The latest finished insight run (of a month), or PRECONDITION_FAILED saying what to do. */
export function latestRun(db: StrataDb, period?: string) {
  const run = getLatestInsightRun(db, period);
  if (!run)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: period
        ? `No insight run has finished for ${period}: run insight.refresh for it first.`
        : 'No insight run has finished yet: seed or import data, then refresh.',
    });
  return run;
}

function checkPeriod(db: StrataDb, period: string | undefined): string {
  const periods = loadPeriods(db);
  const latest = periods[periods.length - 1];
  if (!latest)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'No monthly data yet: import or seed first.',
    });
  if (period === undefined) return latest;
  if (!periods.includes(period))
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `No monthly data for ${period}; the data covers ${periods[0]} to ${latest}.`,
    });
  return period;
}

const NUMERIC_FEATURES = (Object.keys(FEATURES) as FeatureKey[]).filter(
  (k) => FEATURES[k].type === 'number',
);
const numericFeature = z.enum(NUMERIC_FEATURES as [FeatureKey, ...FeatureKey[]], {
  error: (i) => `not a numeric feature: ${JSON.stringify(i.input)}`,
});

export const insightRouter = {
  /** Refresh runs, newest first, with their status and timings. */
  runs: signedInProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listInsightRuns(ctx.db, input.limit)),

  /**
   * Runs the insight refresh for a month (default: the latest) with the saved segments and
   * stores it as a new run. Earlier runs stay.
   */
  refresh: rolesProcedure(...HEAD_OFFICE)
    .input(
      z
        .object({
          period: periodInput.optional(),
          /** Cluster names accepted or edited in the clustering lab, by cluster number. */
          clusterNames: z
            .array(
              z
                .object({
                  'zh-CN': z.string().trim().min(1).max(200),
                  en: z.string().trim().min(1).max(200),
                })
                .nullable(),
            )
            .max(16)
            .optional(),
        })
        .default({}),
    )
    .mutation(({ ctx, input }) => {
      const period = checkPeriod(ctx.db, input.period);
      // the bank's settings and saved segments, with the cluster names the lab accepted
      const base = defaultInsightConfig(ctx.db);
      const clusters = base.clusters;
      const config = {
        ...base,
        clusters:
          clusters && input.clusterNames ? { ...clusters, names: input.clusterNames } : clusters,
      };
      // a large bank's ready profiles are made by the server in the background, not here
      const result = runInsightRefresh(ctx.db, {
        period,
        config,
        now: ctx.now,
        readyProfiles: false,
      });
      warmColumns(ctx.db); // the new run, for the map's first call
      return result;
    }),

  /** The latest run of a month: per-segment counts, overlap matrix, cluster profiles. */
  summary: rolesProcedure('admin', 'strategist', 'viewer')
    .input(z.object({ period: periodInput.optional() }).default({}))
    .query(({ ctx, input }) => {
      const { model, ...run } = latestRun(ctx.db, input.period);
      return { ...run, pareto: model.pareto, rfm: model.rfm };
    }),

  /**
   * Customers and AUM by (value of a dimension × lifecycle stage), for a branch subtree or the
   * whole bank: the rows of the strategy map.
   */
  matrix: signedInProcedure
    .input(
      z.object({
        dimension: z.enum(INSIGHT_DIMENSIONS),
        period: periodInput.optional(),
        branch: orgUnitInput.optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const run = latestRun(ctx.db, input.period);
      const asked = input.branch === undefined ? null : resolveOrgUnit(ctx.db, input.branch).id;
      const unit = scopedBranch(ctx.db, ctx.caller, asked);
      const branch = unit === null ? null : resolveOrgUnit(ctx.db, unit);
      return {
        runId: run.id,
        period: run.period,
        dimension: input.dimension,
        branch,
        cells: getInsightMatrix(ctx.db, {
          runId: run.id,
          dimension: input.dimension,
          orgUnitId: branch?.id,
        }),
      };
    }),

  /**
   * The corporate deposit structure (settlement vs high-cost) of the latest run's month, for the
   * caller's scope or a branch in it.
   */
  deposits: signedInProcedure
    .input(z.object({ branch: orgUnitInput.optional() }).default({}))
    .query(({ ctx, input }) => {
      const run = latestRun(ctx.db);
      const asked = input.branch === undefined ? null : resolveOrgUnit(ctx.db, input.branch).id;
      const unit = scopedBranch(ctx.db, ctx.caller, asked);
      return corporateDeposits(ctx.db, ctx.caller.scope, run.period, unit);
    }),

  /** A customer's profile (客户画像): every tag with its why, history and recent events. */
  profile: signedInProcedure
    .meta({ embed: 'customer' })
    .input(
      z.object({
        customer: customerRefInput,
        period: periodInput.optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const id = customerIdOf(ctx.db, input.customer);
      // out of the caller's scope is "not found", as for a customer that does not exist (the
      // scope is applied in the profile's own query)
      const profile =
        id === undefined
          ? undefined
          : getCustomerProfile(ctx.db, id, input.period, ctx.caller.scope);
      if (!profile) {
        latestRun(ctx.db, input.period); // no run (of the month) is said as such
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `No customer ${JSON.stringify(input.customer)}.`,
        });
      }
      return profile;
    }),

  /**
   * The clustering lab: for each k, k-means++ on a seeded sample of the customers in scope, with
   * inertia (elbow), silhouette and cluster profiles with suggested names.
   */
  clusterLab: rolesProcedure(...HEAD_OFFICE)
    .input(
      z
        .object({
          features: z.array(numericFeature).min(1).max(24),
          kMin: z.number().int().min(2).max(16).default(2),
          kMax: z.number().int().min(2).max(16).default(10),
          scope: z.enum(['retail', 'corporate']).default('retail'),
          sample: z.number().int().min(100).max(100_000).default(20_000),
          seed: z.number().int().default(1),
          period: periodInput.optional(),
        })
        .refine((v) => v.kMin <= v.kMax, { message: 'kMin must not exceed kMax', path: ['kMin'] }),
    )
    .query(({ ctx, input }) => {
      const period = checkPeriod(ctx.db, input.period);
      const started = performance.now();
      const result = clusteringLab(featureFrameOf(ctx.db, period), {
        features: input.features,
        ks: Array.from({ length: input.kMax - input.kMin + 1 }, (_, j) => input.kMin + j),
        scope: input.scope,
        sample: input.sample,
        seed: input.seed,
      });
      return { period, ...result, elapsedMs: Math.round(performance.now() - started) };
    }),
};
