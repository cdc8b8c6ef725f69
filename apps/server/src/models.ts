import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultScorers, logisticScorer, type ScorerRegistry } from '@strata/core';

/**
 * The built-in scorers plus every model file (`*.json`, a logistic model: name, version,
 * intercept, terms) in `dir`: the hot-plug model system. A file naming a built-in scorer replaces
 * it. A file that does not hold a valid model stops the server with its name and the reason.
 */
export function loadScorers(dir: string | null): ScorerRegistry {
  const registry = defaultScorers();
  if (dir === null) return registry;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const seen = new Map<string, string>();
  for (const file of files) {
    try {
      const scorer = logisticScorer(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const twin = seen.get(scorer.name);
      if (twin) throw new Error(`the model "${scorer.name}" is in ${twin} already`);
      seen.set(scorer.name, file);
      registry.register(scorer, { replace: true });
    } catch (error) {
      const e = error as Error & { issues?: { path: PropertyKey[]; message: string }[] };
      const reason = e.issues
        ? e.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')
        : e.message;
      throw new Error(`Model file ${join(dir, file)}: ${reason}`);
    }
  }
  return registry;
}
