import {
  DEFAULT_INSIGHT_CONFIG,
  LIFECYCLE_STAGES,
  NO_TIER,
  PARETO_CLASSES,
  SIZES,
  customerExplainer,
  explainCustomer,
  explainRule,
  insightChunk,
  packInsightChunk,
  refreshInsight,
  refreshInsightChunks,
  selectCustomers,
  FeatureFrame,
  type FeatureInput,
  type InsightRun,
} from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createDemoBank } from './bank.js';
import { featureInputChunks } from './frame.js';

// The engine's refresh on a real (generated) bank: chunking must not change a single tag, and
// one customer's profile, recomputed alone from the run's model, must equal the bulk result.
const bank = createDemoBank({ retail: 2_400, corporate: 300, seed: 7 });
const whole = [...featureInputChunks(bank, { chunkSize: 10_000 })];
const input = whole[0] as FeatureInput;
const run = refreshInsight(whole);

const only = (i: number): FeatureInput => selectCustomers(input, [i]);

function tagsOf(r: InsightRun, i: number) {
  return {
    stage: r.stage[i],
    aumTier: r.aumTier[i],
    corporateTier: r.corporateTier[i],
    risk: r.riskTier[i],
    size: r.enterpriseSize[i],
    rfm: [r.rfm.r[i], r.rfm.f[i], r.rfm.m[i]],
    pareto: r.pareto[i],
    cluster: r.cluster[i],
    primary: r.primary[i],
    segments: r.segments.filter((s) => s.members[i] === 1).map((s) => s.key),
  };
}

describe('refreshInsight on the demo bank', () => {
  it('gives every customer the same tags whatever the chunk size', () => {
    const chunked = refreshInsight(featureInputChunks(bank, { chunkSize: 700 }));
    expect(chunked.size).toBe(run.size);
    for (let i = 0; i < run.size; i += 7) expect(tagsOf(chunked, i)).toEqual(tagsOf(run, i));
    expect(chunked.aggregates).toEqual(run.aggregates);
    expect(chunked.model).toEqual(run.model);
  });

  it('gives the same run from chunks tagged elsewhere and packed for transfer', () => {
    const packed = [...featureInputChunks(bank, { chunkSize: 700 })].map((c) => {
      const chunk = insightChunk(c, DEFAULT_INSIGHT_CONFIG);
      const [copy, buffers] = packInsightChunk(chunk);
      // every array its own buffer of its exact size, every buffer listed for transfer
      const arrays = Object.values(copy).flatMap((v: unknown) =>
        ArrayBuffer.isView(v) ? [v] : Array.isArray(v) ? (v as ArrayBufferView[]) : [],
      );
      expect(arrays.length).toBe(buffers.length);
      for (const a of arrays) {
        expect(buffers).toContain(a.buffer);
        expect(a.byteLength).toBe(a.buffer.byteLength);
      }
      expect(copy.customerIds.buffer).not.toBe(chunk.customerIds.buffer);
      return copy;
    });
    const fromChunks = refreshInsightChunks(packed);
    for (let i = 0; i < run.size; i += 7) expect(tagsOf(fromChunks, i)).toEqual(tagsOf(run, i));
    expect(fromChunks.aggregates).toEqual(run.aggregates);
    expect(fromChunks.model).toEqual(run.model);
  });

  it('finds members for the starter segments and one owner per customer', () => {
    const counts = Object.fromEntries(run.segments.map((s) => [s.key, s.count]));
    expect(counts['payroll_customers']).toBeGreaterThan(100);
    expect(counts['seniors']).toBeGreaterThan(100);
    expect(counts['small_micro']).toBeGreaterThan(10);
    const owned = run.segments.reduce((a, s) => a + s.primaryCount, 0);
    let withSegment = 0;
    for (let i = 0; i < run.size; i++)
      if (run.segments.some((s) => s.members[i] === 1)) withSegment++;
    expect(owned).toBe(withSegment);
  });

  it('aggregates every known customer once per dimension', () => {
    let known = 0;
    for (let i = 0; i < run.size; i++) if (run.universe[i] === 1) known++;
    const total = (dimension: string) =>
      run.aggregates.filter((a) => a.dimension === dimension).reduce((a, r) => a + r.customers, 0);
    let retailKnown = 0;
    for (let i = 0; i < run.size; i++)
      if (run.universe[i] === 1 && run.retail[i] === 1) retailKnown++;
    expect(total('aum_tier')).toBe(retailKnown);
    expect(total('risk_tier')).toBe(known);
    expect(total('cluster')).toBe(retailKnown);
    expect(new Set(run.aggregates.map((a) => a.stage)).size).toBeGreaterThan(5);
    for (const a of run.aggregates) expect(LIFECYCLE_STAGES).toContain(a.stage);
  });

  it('explains one customer alone with exactly the tags of the bulk run', () => {
    const sample = Array.from({ length: 120 }, (_, k) => Math.floor((k * run.size) / 120));
    for (const i of sample) {
      const profile = explainCustomer(only(i), 0, run.model);
      const want = tagsOf(run, i);
      const tag = (kind: string) => profile.tags.find((t) => t.kind === kind)?.key;
      if (run.universe[i] !== 1) {
        expect(profile.known).toBe(false);
        continue;
      }
      expect(tag('stage')).toBe(LIFECYCLE_STAGES[want.stage as number]);
      const ladderTier = run.retail[i] === 1 ? want.aumTier : want.corporateTier;
      const ladder =
        run.retail[i] === 1 ? run.model.config.retailLadder : run.model.config.corporateLadder;
      expect(tag(run.retail[i] === 1 ? 'value_tier' : 'contribution_tier')).toBe(
        ladderTier === NO_TIER ? undefined : ladder[ladderTier as number]?.id,
      );
      expect(tag('risk_tier')).toBe(run.model.config.riskTiers[want.risk as number]?.id);
      expect(tag('enterprise_size')).toBe(SIZES[want.size as number]);
      expect(tag('rfm')).toBe(want.rfm.join(''));
      expect(tag('pareto')).toBe(PARETO_CLASSES[want.pareto as number]);
      expect(tag('cluster')).toBe(want.cluster === -1 ? undefined : String(want.cluster));
      const segs = profile.tags.filter((t) => t.kind === 'segment');
      expect(segs.map((t) => t.key).sort()).toEqual([...want.segments].sort());
      const primary = segs.find((t) => t.primary)?.key;
      expect(primary).toBe(
        want.primary === -1 ? undefined : run.model.config.segments[want.primary as number]?.key,
      );
      for (const t of segs) expect(t.rule?.pass).toBe(true);
    }
  });

  it('explains every customer of a chunk, tagged once, exactly as each one alone', () => {
    const explain = customerExplainer(input, run.model);
    let known = 0;
    for (let i = 0; i < run.size; i += 9) {
      const together = explain(i);
      expect(together).toEqual(explainCustomer(only(i), 0, run.model));
      if (together.known) known++;
    }
    expect(known).toBeGreaterThan(250);
    expect(() => explain(run.size)).toThrow(/No customer at index/);
    expect(() => explain(1.5)).toThrow(/No customer at index/);
  });

  it('explains a rule node by node, with the figures it read, in agreement with the segment', () => {
    const frame = new FeatureFrame(input);
    const seniors = run.model.config.segments.find((s) => s.key === 'seniors');
    if (!seniors) throw new Error('starter library lost seniors');
    const members = run.segments.find((s) => s.key === 'seniors')?.members as Uint8Array;
    let checked = 0;
    for (let i = 0; i < run.size; i += 5) {
      const e = explainRule(seniors.rule, frame, i);
      expect(e.pass).toBe(members[i] === 1);
      expect(e.sentence['zh-CN'].length).toBeGreaterThan(2);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('keeps the cluster names an analyst accepted or edited, and suggests the rest', () => {
    const clusters = DEFAULT_INSIGHT_CONFIG.clusters;
    if (!clusters) throw new Error('the default config clusters');
    const named = refreshInsight(whole, {
      ...DEFAULT_INSIGHT_CONFIG,
      clusters: { ...clusters, names: [{ 'zh-CN': '稳健理财族', en: 'Steady savers' }, null] },
    });
    expect(named.model.clusters?.names[0]).toEqual({ 'zh-CN': '稳健理财族', en: 'Steady savers' });
    expect(named.model.clusters?.names[1]).toEqual(named.clusterProfiles[1]?.suggestedName);
    const member = [...named.cluster].indexOf(0);
    const tag = explainCustomer(only(member), 0, named.model).tags.find(
      (t) => t.kind === 'cluster',
    );
    expect(tag?.label.en).toBe('Steady savers');
  });
});
