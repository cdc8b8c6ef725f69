import {
  IMPORT_FIELDS,
  IMPORT_KINDS,
  getImportReport,
  getImportRun,
  listImportRuns,
  listSavedMappings,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { importJobs } from '../imports.js';
import { HEAD_OFFICE, rolesProcedure } from '../trpc.js';

/**
 * Imports: files are uploaded to `POST /api/imports` (see the server); these procedures list
 * them, follow one, and describe what can be imported (for the dashboard's import wizard).
 */
export const importsRouter = {
  /** The fields of each kind of import, with which are required and the headers they map from. */
  fields: rolesProcedure(...HEAD_OFFICE).query(() =>
    IMPORT_KINDS.map((kind) => ({
      kind,
      fields: IMPORT_FIELDS[kind].map((f) => ({
        name: f.name,
        required: f.required,
        type: f.of.type,
        ...(f.of.type === 'enum' && { values: f.of.values }),
        aliases: f.aliases ?? [],
      })),
    })),
  ),

  /** Recent imports, newest first. */
  list: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listImportRuns(ctx.db, input.limit)),

  /** One import: its row, its data-quality report once finished, its live progress while running. */
  get: rolesProcedure(...HEAD_OFFICE)
    .input(z.object({ id: z.number().int().positive() }))
    .query(({ ctx, input }) => {
      const run = getImportRun(ctx.db, input.id);
      if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `No import ${input.id}.` });
      const live = importJobs.get(input.id);
      return {
        ...run,
        progress: live?.progress ?? null,
        report: live?.report ?? getImportReport(ctx.db, input.id) ?? null,
      };
    }),

  /** The column mappings saved per source system. */
  mappings: rolesProcedure(...HEAD_OFFICE).query(({ ctx }) => listSavedMappings(ctx.db)),
};
