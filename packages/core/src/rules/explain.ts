import { FEATURES } from '../features/catalog.js';
import type { FeatureFrame } from '../features/frame.js';
import type { Localized } from '../util/i18n.js';
import { compileRule } from './predicate.js';
import type { Condition } from './schema.js';
import { describeRule } from './sentence.js';

/**
 * Why a rule did or did not select one customer: every node of the tree with its verdict, and
 * for a leaf the customer's own figure (null when missing).
 */
export interface RuleExplanation {
  readonly pass: boolean;
  /** The node as a sentence. */
  readonly sentence: Localized;
  /** For a leaf: the value the test read. Days for an event test, the change for a trend. */
  readonly value?: number | string | boolean | null;
  readonly children?: readonly RuleExplanation[];
}

function leafValue(
  rule: Condition,
  frame: FeatureFrame,
  i: number,
): number | string | boolean | null {
  const num = (col: Float64Array) => {
    const v = col[i] ?? Number.NaN;
    return Number.isNaN(v) ? null : v;
  };
  switch (rule.kind) {
    case 'cmp':
    case 'between':
    case 'in':
    case 'null': {
      const def = FEATURES[rule.field];
      if (def.type === 'number') return num(frame.number(rule.field));
      if (def.type === 'boolean') return frame.boolean(rule.field)[i] === 1;
      const { codes, values } = frame.category(rule.field);
      const code = codes[i] ?? -1;
      return code < 0 ? null : (values[code] ?? null);
    }
    case 'event':
      return num(frame.daysSinceEvent(rule.event));
    case 'trend':
      return num(frame.trend(rule.metric, rule.months));
    default:
      return null;
  }
}

/** Each rule node's sentence, in both languages, made once (a node's text names no customer). */
const sentences = new WeakMap<Condition, Localized>();

function sentenceOf(rule: Condition): Localized {
  let sentence = sentences.get(rule);
  if (!sentence) {
    sentence = Object.freeze({
      'zh-CN': describeRule(rule, 'zh-CN'),
      en: describeRule(rule, 'en'),
    });
    sentences.set(rule, sentence);
  }
  return sentence;
}

/**
 * Explains a rule for customer `i` of a frame: the clause (or clauses) that put the customer
 * in the segment, or the ones that kept them out. Agrees with `compileRule` by construction.
 * @example explainRule(segment.rule, frame, 42).children?.filter((c) => !c.pass) // what failed
 */
export function explainRule(rule: Condition, frame: FeatureFrame, i: number): RuleExplanation {
  const sentence = sentenceOf(rule);
  if (rule.kind === 'and' || rule.kind === 'or') {
    const children = rule.of.map((c) => explainRule(c, frame, i));
    const pass = rule.kind === 'and' ? children.every((c) => c.pass) : children.some((c) => c.pass);
    return { pass, sentence, children };
  }
  if (rule.kind === 'not') {
    const inner = explainRule(rule.of, frame, i);
    return { pass: !inner.pass, sentence, children: [inner] };
  }
  const pass = compileRule(rule, frame)(i) && frame.universe[i] === 1;
  return { pass, sentence, value: leafValue(rule, frame, i) };
}
