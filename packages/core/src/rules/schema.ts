import { z } from 'zod';
import {
  FEATURES,
  FEATURE_KEYS,
  TREND_METRICS,
  type FeatureKey,
  type TrendMetric,
} from '../features/catalog.js';
import { MOT_EVENT_TYPES, type MotEventType } from '../features/events.js';

/** Comparison operators. */
export const COMPARISONS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * A segment rule: a JSON-serialisable condition tree.
 *
 * @example
 * const rule: Condition = {
 *   kind: 'and',
 *   of: [
 *     { kind: 'cmp', field: 'aum', op: '>=', value: 500_000 },
 *     { kind: 'or', of: [{ kind: 'cmp', field: 'life_stage', op: '=', value: 'senior' }, { kind: 'cmp', field: 'age', op: '>=', value: 60 }] },
 *     { kind: 'event', event: 'wealth_maturing', withinDays: 30 },
 *   ],
 * };
 */
export type Condition =
  | { readonly kind: 'and'; readonly of: readonly Condition[] }
  | { readonly kind: 'or'; readonly of: readonly Condition[] }
  | { readonly kind: 'not'; readonly of: Condition }
  | {
      readonly kind: 'cmp';
      readonly field: FeatureKey;
      readonly op: Comparison;
      readonly value: number | string | boolean;
    }
  | {
      readonly kind: 'between';
      readonly field: FeatureKey;
      readonly min: number;
      readonly max: number;
    }
  | {
      readonly kind: 'in';
      readonly field: FeatureKey;
      readonly values: readonly (string | number)[];
    }
  | { readonly kind: 'null'; readonly field: FeatureKey }
  /** The customer had an event of this type in the last `withinDays` days (up to the as-of month's end). */
  | { readonly kind: 'event'; readonly event: MotEventType; readonly withinDays: number }
  /** The relative change of a monthly metric over `months` months, e.g. `>= 0.1` for "up 10 % or more". */
  | {
      readonly kind: 'trend';
      readonly metric: TrendMetric;
      readonly months: number;
      readonly op: Comparison;
      readonly value: number;
    };

const field = z.enum(FEATURE_KEYS as [FeatureKey, ...FeatureKey[]], {
  error: (i) => `unknown field ${JSON.stringify(i.input)}`,
});
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

function typeOf(key: FeatureKey) {
  return FEATURES[key].type;
}

const cmp = z
  .object({
    kind: z.literal('cmp'),
    field,
    op: z.enum(COMPARISONS),
    value: z.union([finite, z.string(), z.boolean()]),
  })
  .strict()
  .superRefine((node, ctx) => {
    const def = FEATURES[node.field];
    if (def.type === 'number' && typeof node.value !== 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${node.field} is a number; got ${JSON.stringify(node.value)}`,
      });
    }
    if (def.type === 'boolean') {
      if (typeof node.value !== 'boolean')
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${node.field} is true or false; got ${JSON.stringify(node.value)}`,
        });
      if (node.op !== '=' && node.op !== '!=')
        ctx.addIssue({
          code: 'custom',
          path: ['op'],
          message: `${node.field} is true or false: use = or !=`,
        });
    }
    if (def.type === 'category') {
      if (
        typeof node.value !== 'string' ||
        !(def.values as readonly string[]).includes(node.value)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${node.field} is one of ${def.values.join(', ')}; got ${JSON.stringify(node.value)}`,
        });
      }
      if (node.op !== '=' && node.op !== '!=')
        ctx.addIssue({
          code: 'custom',
          path: ['op'],
          message: `${node.field} is a category: use =, != or in`,
        });
    }
  });

const between = z
  .object({ kind: z.literal('between'), field, min: finite, max: finite })
  .strict()
  .superRefine((node, ctx) => {
    if (typeOf(node.field) !== 'number')
      ctx.addIssue({
        code: 'custom',
        path: ['field'],
        message: `between needs a number field; ${node.field} is not`,
      });
    if (node.min > node.max)
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `max (${node.max}) is below min (${node.min})`,
      });
  });

const inList = z
  .object({
    kind: z.literal('in'),
    field,
    values: z
      .array(z.union([finite, z.string()]))
      .min(1, 'needs at least one value')
      .max(1000),
  })
  .strict()
  .superRefine((node, ctx) => {
    const def = FEATURES[node.field];
    node.values.forEach((v, k) => {
      const ok =
        def.type === 'number'
          ? typeof v === 'number'
          : def.type === 'category'
            ? typeof v === 'string' && (def.values as readonly string[]).includes(v)
            : false;
      if (!ok) {
        const expected =
          def.type === 'category'
            ? `one of ${def.values.join(', ')}`
            : def.type === 'number'
              ? 'a number'
              : 'not allowed: use = on a true/false field';
        ctx.addIssue({
          code: 'custom',
          path: ['values', k],
          message: `${node.field} values are ${expected}; got ${JSON.stringify(v)}`,
        });
      }
    });
  });

const isNull = z.object({ kind: z.literal('null'), field }).strict();
const event = z
  .object({
    kind: z.literal('event'),
    event: z.enum(MOT_EVENT_TYPES, {
      error: (i) => `unknown event type ${JSON.stringify(i.input)}`,
    }),
    withinDays: z.number().int().min(0).max(3660),
  })
  .strict();
const trend = z
  .object({
    kind: z.literal('trend'),
    metric: z.enum(TREND_METRICS),
    months: z.number().int().min(1).max(12),
    op: z.enum(COMPARISONS),
    value: finite,
  })
  .strict();

/** The zod schema of a condition; a failure's issues give the path of the bad node. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z
        .object({
          kind: z.literal('and'),
          of: z.array(conditionSchema).min(1, 'needs at least one condition').max(200),
        })
        .strict(),
      z
        .object({
          kind: z.literal('or'),
          of: z.array(conditionSchema).min(1, 'needs at least one condition').max(200),
        })
        .strict(),
      z.object({ kind: z.literal('not'), of: conditionSchema }).strict(),
      cmp,
      between,
      inList,
      isNull,
      event,
      trend,
    ],
    {
      error: (i) =>
        i.code === 'invalid_union'
          ? 'kind must be one of and, or, not, cmp, between, in, null, event, trend'
          : undefined,
    },
  ),
) as z.ZodType<Condition>;

/** A problem with a rule: where (a path like `of.1.value`) and why. */
export interface RuleIssue {
  readonly path: string;
  readonly message: string;
}

/** The result of checking a rule. */
export type RuleCheck =
  | { readonly ok: true; readonly rule: Condition }
  | { readonly ok: false; readonly issues: readonly RuleIssue[] };

const MAX_DEPTH = 16;

function depthOf(node: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return depth;
  const of = (node as { of?: unknown }).of;
  if (Array.isArray(of)) return Math.max(depth, ...of.map((c) => depthOf(c, depth + 1)));
  if (of && typeof of === 'object') return depthOf(of, depth + 1);
  return depth;
}

/**
 * Checks untrusted JSON as a rule.
 * @example parseRule({ kind: 'cmp', field: 'aum', op: '>', value: 'lots' })
 * // { ok: false, issues: [{ path: 'value', message: 'aum is a number; got "lots"' }] }
 */
export function parseRule(input: unknown): RuleCheck {
  if (depthOf(input) > MAX_DEPTH)
    return {
      ok: false,
      issues: [{ path: '', message: `rules nest at most ${MAX_DEPTH} levels deep` }],
    };
  const parsed = conditionSchema.safeParse(input);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    })),
  };
}

/** Thrown where a rule that fails `parseRule` is used; `issues` say where and why. */
export class RuleError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(`Invalid rule: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'RuleError';
  }
}
