import { describe, expect, it } from 'vitest';
import { parseRule } from '../rules/schema.js';
import { STARTER_SEGMENTS } from './library.js';

describe('STARTER_SEGMENTS', () => {
  it('are valid rules with unique keys and names in both languages', () => {
    for (const s of STARTER_SEGMENTS) {
      expect(parseRule(s.rule), s.key).toMatchObject({ ok: true });
      expect(s.name['zh-CN'].length > 0 && s.name.en.length > 0).toBe(true);
    }
    expect(new Set(STARTER_SEGMENTS.map((s) => s.key)).size).toBe(STARTER_SEGMENTS.length);
  });
});
