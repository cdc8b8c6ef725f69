import { describeRule, parseRule, RuleError, type Condition } from '@strata/core';
import {
  appendAudit,
  getSegmentByKey,
  getSegmentPreview,
  insertSegment,
  listSegments,
  updateSegment,
  type StrataDb,
} from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { periodInput } from '../inputs.js';
import { HEAD_OFFICE, rolesProcedure, signedInProcedure } from '../trpc.js';

/** Checks a rule from a client; a bad one is refused with the path and reason of each problem. */
function checkedRule(input: unknown): Condition {
  const result = parseRule(input);
  if (!result.ok)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: new RuleError(result.issues).message,
      cause: new RuleError(result.issues),
    });
  return result.rule;
}

function latestPeriod(db: StrataDb): string {
  const periods = db.sqlite.prepare('SELECT max(period) FROM monthly_metrics').pluck().get() as
    string | null;
  if (!periods)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'No monthly data yet: import or seed first.',
    });
  return periods;
}

const sentences = (rule: Condition) => ({
  'zh-CN': describeRule(rule, 'zh-CN'),
  en: describeRule(rule, 'en'),
});

const segmentInput = z.object({
  key: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{1,62}$/,
      'a key is 2–63 lower-case letters, digits or _, starting with a letter',
    ),
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
  rule: z.unknown(),
  priority: z.number().int().min(0).max(10_000).default(100),
  exclusive: z.boolean().default(false),
});

export const segmentsRouter = {
  /** A rule's count, share, a sample of members (no personal data) and its sentence, before saving. */
  preview: signedInProcedure
    .input(
      z.object({
        rule: z.unknown(),
        period: periodInput.optional(),
        sample: z.number().int().min(0).max(50).default(10),
      }),
    )
    .query(({ ctx, input }) => {
      const rule = checkedRule(input.rule);
      const period = input.period ?? latestPeriod(ctx.db);
      const preview = getSegmentPreview(ctx.db, rule, period, input.sample, ctx.caller.scope);
      return {
        period,
        ...preview,
        share: preview.universe === 0 ? 0 : preview.count / preview.universe,
        sentence: sentences(rule),
      };
    }),

  /** Saves a new segment. A bad rule or a taken key is refused and nothing is saved. */
  save: rolesProcedure(...HEAD_OFFICE)
    .input(segmentInput)
    .mutation(({ ctx, input }) => {
      const rule = checkedRule(input.rule);
      if (getSegmentByKey(ctx.db, input.key))
        throw new TRPCError({
          code: 'CONFLICT',
          message: `A segment with key "${input.key}" already exists.`,
        });
      const row = ctx.db.sqlite.transaction(() => {
        const saved = insertSegment(ctx.db, { ...input, rule: JSON.stringify(rule) }, ctx.now());
        appendAudit(
          ctx.db,
          {
            actor: ctx.caller.actor,
            action: 'segment.create',
            target: `segment:${saved.key}`,
            detail: { name: saved.name, priority: saved.priority, exclusive: saved.exclusive },
            origin: ctx.http.ip ?? null,
          },
          ctx.now(),
        );
        return saved;
      })();
      return { ...row, rule, sentence: sentences(rule) };
    }),

  /**
   * Changes a saved segment (names, description, rule, priority, exclusivity; the key stays).
   * Applies from the next refresh; audited with what it was before.
   */
  update: rolesProcedure(...HEAD_OFFICE)
    .input(segmentInput)
    .mutation(({ ctx, input }) => {
      const rule = checkedRule(input.rule);
      const before = getSegmentByKey(ctx.db, input.key);
      if (!before)
        throw new TRPCError({ code: 'NOT_FOUND', message: `No segment "${input.key}".` });
      const row = ctx.db.sqlite.transaction(() => {
        const { key, ...change } = input;
        const saved = updateSegment(ctx.db, key, { ...change, rule: JSON.stringify(rule) });
        appendAudit(
          ctx.db,
          {
            actor: ctx.caller.actor,
            action: 'segment.update',
            target: `segment:${key}`,
            detail: {
              before: { priority: before.priority, exclusive: before.exclusive, rule: before.rule },
              after: { priority: change.priority, exclusive: change.exclusive },
            },
            origin: ctx.http.ip ?? null,
          },
          ctx.now(),
        );
        return saved;
      })();
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No segment "${input.key}".` });
      return { ...row, rule, sentence: sentences(rule) };
    }),

  /** Every saved segment with its rule and sentence. */
  list: signedInProcedure.query(({ ctx }) =>
    listSegments(ctx.db).map((row) => {
      const rule = JSON.parse(row.rule) as Condition;
      return { ...row, rule, sentence: sentences(rule) };
    }),
  ),
};
