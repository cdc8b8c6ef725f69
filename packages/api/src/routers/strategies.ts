import {
  INSIGHT_DIMENSIONS,
  STRATEGY_STATUSES,
  buildStrategyMap,
  strategyDefinitionSchema,
} from '@strata/core';
import {
  audienceOverlaps,
  rememberResults,
  createStrategy,
  getInsightMatrix,
  getStrategy,
  listStrategies,
  listStrategyVersions,
  mapCellResults,
  setStrategyStatus,
  strategyBoard,
  updateStrategy,
  type StrategyRow,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { strategyCall } from '../strategy-errors.js';
import { z } from 'zod';
import { orgUnitInput, periodInput } from '../inputs.js';
import { HEAD_OFFICE, rolesProcedure, scopedBranch, signedInProcedure } from '../trpc.js';
import { latestRun } from './insight.js';
import { resolveOrgUnit } from './org.js';

const key = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a key is 2–64 lower-case letters, digits and -');

/** Strategies (DESIGN.md §3): read by every signed-in user, shaped by the head office; audited. */

/** What of the strategies a remembered map result depends on. */
function signature(strategies: readonly StrategyRow[]) {
  return strategies.map((s) => [s.key, s.currentVersion, s.status, s.updatedAt]);
}

export const strategiesRouter = {
  /** Every strategy at its current version. */
  list: signedInProcedure.query(({ ctx }) => listStrategies(ctx.db)),

  /** One strategy at its current version, or at `version`. */
  get: signedInProcedure
    .input(z.object({ key, version: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => {
      const found = getStrategy(ctx.db, input.key, input.version);
      if (!found)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `No strategy "${input.key}"${input.version ? ` version ${input.version}` : ''}.`,
        });
      return { ...found, versions: listStrategyVersions(ctx.db, input.key) };
    }),

  /**
   * The strategy map (策略图谱) for the caller's scope: rows of a dimension (primary segment by
   * default, or a tier) × lifecycle stages from the latest insight run, each cell with its
   * customers, AUM and active strategies; the gaps (most at stake first), the collisions, and
   * the event-trigger and rule columns.
   */
  map: signedInProcedure
    .meta({ embed: 'aggregate', remember: true })
    .input(
      z
        .object({
          dimension: z.enum(INSIGHT_DIMENSIONS).default('primary'),
          period: periodInput.optional(),
          branch: orgUnitInput.optional(),
          rankBy: z.enum(['aum', 'customers']).default('aum'),
          minCustomers: z.number().int().min(0).max(1_000_000).default(50),
          /**
           * The matrix only (the widget's read-only map): collisions are not counted from the
           * audiences and per-cell and board results are left out.
           */
          compact: z.boolean().default(false),
          /**
           * How many gaps to list, most at stake first (`gapCount` counts them all; every gap
           * is also a cell marked `gap`). The answer is the map's whole cost under load.
           */
          gapLimit: z.number().int().min(0).max(10_000).default(20),
        })
        .default({
          dimension: 'primary',
          rankBy: 'aum',
          minCustomers: 50,
          compact: false,
          gapLimit: 20,
        }),
    )
    .query(({ ctx, input }) => {
      const run = latestRun(ctx.db, input.period);
      const asked = input.branch === undefined ? null : resolveOrgUnit(ctx.db, input.branch).id;
      const unit = scopedBranch(ctx.db, ctx.caller, asked);
      const strategies = listStrategies(ctx.db);
      // The whole answer is remembered (per input, branch, run, day and strategies) until a
      // list, an outcome or the customer data changes: under load the map costs what its JSON
      // costs. Segment names are read fresh each time.
      const today = ctx.now().toISOString().slice(0, 10);
      const key = ['map', input, asked, unit, run.id, today, signature(strategies)];
      const map = rememberResults(ctx.db, key, () => {
        const cells = getInsightMatrix(ctx.db, {
          runId: run.id,
          dimension: input.dimension,
          orgUnitId: unit ?? undefined,
        }).map((c) => ({ row: c.value, stage: c.stage, customers: c.customers, aum: c.aum }));
        const built = buildStrategyMap(cells, strategies, {
          dimension: input.dimension,
          rankBy: input.rankBy,
          minCustomers: input.minCustomers,
          ...(!input.compact && {
            overlaps: audienceOverlaps(ctx.db, {
              runId: run.id,
              period: run.period,
              dimension: input.dimension,
              orgUnitId: unit,
              strategies,
              now: ctx.now(),
            }),
          }),
        });
        return {
          runId: run.id,
          period: run.period,
          branch: unit === null ? null : resolveOrgUnit(ctx.db, unit),
          ...built,
          gaps: built.gaps.slice(0, input.gapLimit),
          gapCount: built.gaps.length,
          /**
           * Each strategy's results per cell (its customers' cell when listed, treatment against
           * control), within the caller's scope.
           */
          cellResults: input.compact
            ? []
            : rememberResults(
                ctx.db,
                ['map-cells', run.id, input.dimension, unit, signature(strategies)],
                () => mapCellResults(ctx.db, { dimension: input.dimension, orgUnitId: unit }),
              ),
          /**
           * The latest results of the strategies on the map (reach, conversions, uplift, KPI): the
           * whole bank's, so only for the bank-wide roles, as the board is.
           */
          results:
            unit === null && asked === null && !input.compact
              ? rememberResults(ctx.db, ['map-board', signature(strategies)], () =>
                  Object.fromEntries(strategyBoard(ctx.db).map((row) => [row.key, row])),
                )
              : {},
        };
      });
      return {
        ...map,
        /** Names of the segments and active strategies on the map, for clients that have no lists. */
        names: {
          segments: Object.fromEntries(
            (
              ctx.db.sqlite.prepare('SELECT key, name, name_en AS nameEn FROM segments').all() as {
                key: string;
                name: string;
                nameEn: string;
              }[]
            ).map((r) => [r.key, { zh: r.name, en: r.nameEn }]),
          ),
          strategies: Object.fromEntries(
            strategies.map((st) => [
              st.key,
              { zh: st.definition.name, en: st.definition.nameEn || st.definition.name },
            ]),
          ),
        },
      };
    }),

  /** The models a strategy may name to choose within its audience (模型组), with what they read. */
  models: signedInProcedure.query(({ ctx }) =>
    ctx.scorers.list().map((s) => ({
      name: s.name,
      version: s.version,
      description: s.description ?? '',
      features: s.features,
    })),
  ),

  /** Creates a strategy as a draft (version 1). */
  create: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, definition: strategyDefinitionSchema }))
    .mutation(({ ctx, input }) =>
      strategyCall(() =>
        createStrategy(ctx.db, input.key, input.definition, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),

  /** Edits a strategy: a new version; lists and results keep the version they ran with. */
  update: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, definition: strategyDefinitionSchema }))
    .mutation(({ ctx, input }) =>
      strategyCall(() =>
        updateStrategy(ctx.db, input.key, input.definition, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),

  /** Activates, pauses or retires a strategy. */
  setStatus: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ key, status: z.enum(STRATEGY_STATUSES) }))
    .mutation(({ ctx, input }) =>
      strategyCall(() =>
        setStrategyStatus(ctx.db, input.key, input.status, {
          actor: ctx.caller.actor,
          origin: ctx.http.ip ?? null,
          now: ctx.now(),
        }),
      ),
    ),
};
