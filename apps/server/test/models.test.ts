// Model files (the hot-plug model system): dropped into STRATA_MODELS_DIR, read at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScorers } from '../src/models.js';

const dirs: string[] = [];
const folder = (files: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-models-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files))
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const wealth = {
  name: 'wealth-propensity',
  version: '2026.10',
  intercept: -3,
  terms: [
    { feature: 'aum', weight: 0.2, transform: 'log1p' },
    { feature: 'kind', equals: 'retail', weight: 0.4 },
  ],
};

describe('model files', () => {
  it('adds each model to the built-in ones, and a file may replace a built-in', () => {
    const registry = loadScorers(
      folder({
        'wealth.json': wealth,
        'baseline.json': { ...wealth, name: 'strata.responsiveness', version: '2' },
        'notes.txt': 'not a model',
      }),
    );
    expect(registry.list().map((s) => `${s.name}@${s.version}`)).toEqual([
      'strata.responsiveness@2',
      'wealth-propensity@2026.10',
    ]);
    expect(
      loadScorers(null)
        .list()
        .map((s) => s.name),
    ).toEqual(['strata.responsiveness']);
  });

  it('a bad file stops the start with its name and the reason', () => {
    const bad = folder({ 'wealth.json': { ...wealth, terms: [{ feature: 'aum' }] } });
    expect(() => loadScorers(bad)).toThrow(/Model file .*wealth\.json: terms\.0/);
    expect(() => loadScorers(folder({ 'a.json': '{ not json' }))).toThrow(/a\.json: .*JSON/);
    expect(() => loadScorers(folder({ 'a.json': wealth, 'b.json': wealth }))).toThrow(
      /b\.json: the model "wealth-propensity" is in a\.json already/,
    );
  });
});
