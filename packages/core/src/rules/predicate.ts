import { FEATURES } from '../features/catalog.js';
import type { FeatureFrame } from '../features/frame.js';
import type { Comparison, Condition } from './schema.js';

/** A compiled rule: true for the customers (frame indexes) it selects. */
export type Predicate = (i: number) => boolean;

function compare(op: Comparison, value: number): (x: number) => boolean {
  // NaN (null) fails every comparison, as NULL does in SQL once COALESCEd to false.
  switch (op) {
    case '=':
      return (x) => x === value;
    case '!=':
      return (x) => !Number.isNaN(x) && x !== value;
    case '<':
      return (x) => x < value;
    case '<=':
      return (x) => x <= value;
    case '>':
      return (x) => x > value;
    case '>=':
      return (x) => x >= value;
  }
}

/**
 * Compiles a (checked) rule once into a predicate over the frame's columns. Semantics, shared
 * with the SQL compiler: a missing value satisfies no comparison, between, in or event test
 * (so `not` of such a test selects it); `null` tests for a missing value.
 */
export function compileRule(rule: Condition, frame: FeatureFrame): Predicate {
  switch (rule.kind) {
    case 'and': {
      const parts = rule.of.map((c) => compileRule(c, frame));
      return (i) => parts.every((p) => p(i));
    }
    case 'or': {
      const parts = rule.of.map((c) => compileRule(c, frame));
      return (i) => parts.some((p) => p(i));
    }
    case 'not': {
      const inner = compileRule(rule.of, frame);
      return (i) => !inner(i);
    }
    case 'cmp': {
      const def = FEATURES[rule.field];
      if (def.type === 'number') {
        const col = frame.number(rule.field);
        const test = compare(rule.op, rule.value as number);
        return (i) => test(col[i] ?? Number.NaN);
      }
      if (def.type === 'boolean') {
        const col = frame.boolean(rule.field);
        const want = rule.value === true ? 1 : 0;
        return rule.op === '=' ? (i) => col[i] === want : (i) => col[i] !== want;
      }
      const { codes, values } = frame.category(rule.field);
      const code = values.indexOf(rule.value as string);
      return rule.op === '='
        ? (i) => code >= 0 && codes[i] === code
        : (i) => (codes[i] ?? -1) >= 0 && codes[i] !== code;
    }
    case 'between': {
      const col = frame.number(rule.field);
      const { min, max } = rule;
      return (i) => {
        const x = col[i] ?? Number.NaN;
        return x >= min && x <= max;
      };
    }
    case 'in': {
      const def = FEATURES[rule.field];
      if (def.type === 'number') {
        const col = frame.number(rule.field);
        const set = new Set(rule.values as number[]);
        return (i) => set.has(col[i] ?? Number.NaN);
      }
      const { codes, values } = frame.category(rule.field);
      const wanted = new Uint8Array(values.length);
      for (const v of rule.values) {
        const code = values.indexOf(String(v));
        if (code >= 0) wanted[code] = 1;
      }
      return (i) => wanted[codes[i] ?? -1] === 1;
    }
    case 'null': {
      const def = FEATURES[rule.field];
      if (def.type === 'number') {
        const col = frame.number(rule.field);
        return (i) => Number.isNaN(col[i] ?? Number.NaN);
      }
      if (def.type === 'category') {
        const { codes } = frame.category(rule.field);
        return (i) => codes[i] === -1;
      }
      return () => false;
    }
    case 'event': {
      const days = frame.daysSinceEvent(rule.event);
      const within = rule.withinDays;
      return (i) => (days[i] ?? Number.NaN) <= within;
    }
    case 'trend': {
      const col = frame.trend(rule.metric, rule.months);
      const test = compare(rule.op, rule.value);
      return (i) => test(col[i] ?? Number.NaN);
    }
  }
}

/**
 * The customers a rule selects among those known by the as-of month: 1 per selected frame index.
 * @example
 * const members = evaluateRule(rule, frame);
 * const count = members.reduce((a, b) => a + b, 0);
 */
export function evaluateRule(rule: Condition, frame: FeatureFrame): Uint8Array {
  const predicate = compileRule(rule, frame);
  const out = new Uint8Array(frame.size);
  for (let i = 0; i < frame.size; i++) if (frame.universe[i] === 1 && predicate(i)) out[i] = 1;
  return out;
}
