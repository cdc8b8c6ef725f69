import { z } from 'zod';
import { FEATURES, FEATURE_KEYS, type FeatureKey } from '../features/catalog.js';
import type { FeatureFrame } from '../features/frame.js';
import { hashText } from './control.js';
import { mix32 } from '../util/random.js';

/**
 * A model that scores customers for a strategy (a propensity to respond, to buy, to leave): the
 * seeds' "hot-plug" model system. Strategies name a scorer; the engine finds it in a
 * `ScorerRegistry`, so a bank swaps or adds models by registering them (in code, or as a JSON
 * model file, see `logisticScorer`) without changing anything else.
 */
export interface Scorer {
  /** The name strategies use, e.g. `wealth-propensity`. */
  readonly name: string;
  /** The model's version, kept with every list it selects. */
  readonly version: string;
  readonly description?: string;
  /** The features it reads (shown to users; loaded for it). */
  readonly features: readonly FeatureKey[];
  /** One score per customer of the frame, higher = more likely; NaN where it cannot score. */
  score(frame: FeatureFrame): Float64Array;
}

/** The scorers strategies may name, by name. */
export class ScorerRegistry {
  private readonly scorers = new Map<string, Scorer>();

  constructor(scorers: readonly Scorer[] = []) {
    for (const s of scorers) this.register(s);
  }

  /** Adds a scorer; `replace` swaps one of the same name (a new model version). */
  register(scorer: Scorer, options: { replace?: boolean } = {}): this {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(scorer.name))
      throw new RangeError(
        `A scorer's name is 1–64 lower-case letters, digits, ".", "_" and "-": "${scorer.name}"`,
      );
    for (const f of scorer.features)
      if (!(f in FEATURES))
        throw new RangeError(`Scorer "${scorer.name}" reads "${f}", which is not a feature`);
    if (this.scorers.has(scorer.name) && !options.replace)
      throw new RangeError(`A scorer "${scorer.name}" is registered already (replace it instead)`);
    this.scorers.set(scorer.name, scorer);
    return this;
  }

  /** Removes a scorer; strategies naming it can no longer make lists. */
  unregister(name: string): boolean {
    return this.scorers.delete(name);
  }

  get(name: string): Scorer | undefined {
    return this.scorers.get(name);
  }

  /** Every scorer, by name. */
  list(): Scorer[] {
    return [...this.scorers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

const term = z.union([
  z.strictObject({
    feature: z.enum(FEATURE_KEYS as [FeatureKey, ...FeatureKey[]]),
    weight: z.number().finite(),
    /** `log1p` for heavy-tailed money (sign kept), `none` by default. */
    transform: z.enum(['none', 'log1p']).default('none'),
    /** The value used where the customer has none (NaN makes the score NaN). @default 0 */
    missing: z.number().finite().default(0),
  }),
  z.strictObject({
    feature: z.enum(FEATURE_KEYS as [FeatureKey, ...FeatureKey[]]),
    /** A category feature equal to this value adds the weight. */
    equals: z.string().min(1),
    weight: z.number().finite(),
  }),
]);

/**
 * A logistic model as data: the intercept and one weighted term per feature. Models trained
 * elsewhere (SAS, Python, the bank's model platform) are exported into this shape and loaded as
 * JSON files, so a new model version needs no code.
 */
export const logisticModelSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  version: z.string().min(1).max(40),
  description: z.string().max(500).default(''),
  intercept: z.number().finite(),
  terms: z.array(term).min(1).max(100),
});
export type LogisticModel = z.output<typeof logisticModelSchema>;
export type LogisticModelInput = z.input<typeof logisticModelSchema>;

/**
 * A scorer from a logistic model: the probability 1 / (1 + e^−(intercept + Σ weight × x)), where
 * x is a number feature (optionally log1p-transformed), a boolean feature (0 or 1), or 1 when a
 * category feature equals the term's value.
 * @example
 * registry.register(logisticScorer(JSON.parse(readFileSync('models/wealth.json', 'utf8'))));
 */
export function logisticScorer(model: LogisticModelInput): Scorer {
  const m = logisticModelSchema.parse(model);
  for (const t of m.terms) {
    const type = FEATURES[t.feature].type;
    if ('equals' in t) {
      if (type !== 'category')
        throw new RangeError(`"${t.feature}" is not a category feature: it cannot equal a value`);
    } else if (type === 'category')
      throw new RangeError(`"${t.feature}" is a category feature: give the value it equals`);
  }
  return {
    name: m.name,
    version: m.version,
    description: m.description,
    features: [...new Set(m.terms.map((t) => t.feature))],
    score(frame) {
      const logit = new Float64Array(frame.size).fill(m.intercept);
      for (const t of m.terms) {
        const type = FEATURES[t.feature].type;
        if ('equals' in t) {
          const column = frame.category(t.feature);
          const code = column.values.indexOf(t.equals);
          if (code < 0) continue;
          for (let i = 0; i < frame.size; i++)
            if (column.codes[i] === code) logit[i] = (logit[i] as number) + t.weight;
        } else if (type === 'boolean') {
          const values = frame.boolean(t.feature);
          for (let i = 0; i < frame.size; i++)
            logit[i] = (logit[i] as number) + t.weight * (values[i] as number);
        } else {
          const values = frame.number(t.feature);
          for (let i = 0; i < frame.size; i++) {
            let x = values[i] as number;
            if (Number.isNaN(x)) x = t.missing;
            if (t.transform === 'log1p') x = Math.sign(x) * Math.log1p(Math.abs(x));
            logit[i] = (logit[i] as number) + t.weight * x;
          }
        }
      }
      for (let i = 0; i < frame.size; i++) logit[i] = 1 / (1 + Math.exp(-(logit[i] as number)));
      return logit;
    },
  };
}

/** How a strategy's model selects among its eligible audience. */
export const modelSelectionSchema = z.object({
  /** The scorer's name in the registry. */
  scorer: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  /** The top share of the eligible audience by score, or every customer scoring at least `min`. */
  select: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('top'), share: z.number().gt(0).max(1) }),
    z.object({ kind: z.literal('threshold'), min: z.number().finite() }),
  ]),
  /**
   * Also list a rule-selected group (非模型组) of the same size, drawn at random from the rest of
   * the eligible audience, so the review compares the model's choice with the rule's.
   */
  compare: z.boolean().default(false),
});
export type ModelSelection = z.output<typeof modelSelectionSchema>;

/** Which group chose a listed customer: the model (模型组) or the rule alone (非模型组). */
export type Selection = 'model' | 'rule';

/**
 * Splits an eligible audience by a model's scores: the model group (the top share by score, ties
 * to the lower id, or everyone at or above the threshold; unscorable customers never), and with
 * `compare` a rule group of the same size drawn from the rest by a hash of customer and strategy
 * (reproducible, independent of the score). Customers in neither group are not listed.
 */
export function selectByModel(
  ids: ArrayLike<number>,
  scores: ArrayLike<number>,
  selection: ModelSelection,
  strategyKey: string,
): Map<number, Selection> {
  if (ids.length !== scores.length)
    throw new RangeError(`${ids.length} customers but ${scores.length} scores`);
  const order = Array.from({ length: ids.length }, (_, i) => i).filter(
    (i) => !Number.isNaN(scores[i] as number),
  );
  order.sort(
    (a, b) =>
      (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number),
  );
  const chosen =
    selection.select.kind === 'top'
      ? order.slice(0, Math.round(selection.select.share * ids.length))
      : order.filter((i) => (scores[i] as number) >= (selection.select as { min: number }).min);
  const out = new Map<number, Selection>();
  for (const i of chosen) out.set(ids[i] as number, 'model');
  if (selection.compare) {
    const salt = hashText(`${strategyKey}#rule`);
    const rest = Array.from(ids).filter((id) => !out.has(id));
    rest.sort((a, b) => mix32(salt ^ mix32(a >>> 0)) - mix32(salt ^ mix32(b >>> 0)) || a - b);
    for (const id of rest.slice(0, chosen.length)) out.set(id, 'rule');
  }
  return out;
}

/**
 * A baseline model needing no training data, for banks without a model of their own yet:
 * customers who used the bank recently and often, log in digitally, hold several product types
 * and more assets respond more. The weights are a documented heuristic, not fitted; replace it
 * with a trained model of the same name (a new version) when one exists.
 */
export const RESPONSIVENESS_MODEL: LogisticModelInput = {
  name: 'strata.responsiveness',
  version: '1',
  description:
    'Baseline heuristic (not fitted): recency, frequency, digital use, product breadth and assets.',
  intercept: -2.5,
  terms: [
    { feature: 'recency_days', weight: -0.02, missing: 365 },
    { feature: 'frequency_90d', weight: 0.03 },
    { feature: 'digital_logins_90d', weight: 0.02 },
    { feature: 'product_types', weight: 0.25 },
    { feature: 'aum', weight: 0.12, transform: 'log1p' },
  ],
};

/** A registry holding the built-in scorers (`strata.responsiveness`). */
export function defaultScorers(): ScorerRegistry {
  return new ScorerRegistry([logisticScorer(RESPONSIVENESS_MODEL)]);
}
