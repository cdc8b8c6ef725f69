import { sankey, sankeyLinkHorizontal } from 'd3-sankey';

/** A stage-to-stage flow between two periods, laid out for drawing. */
export interface SankeyFlow {
  readonly from: string | null;
  readonly to: string;
  readonly value: number;
  /** The SVG path of the band and its width. */
  readonly path: string;
  readonly width: number;
}

/** A stage box in either column. */
export interface SankeyNode {
  readonly side: 'from' | 'to';
  /** The stage, or null for the arrivals (customers new in the later period). */
  readonly stage: string | null;
  readonly value: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/**
 * The migration between two periods as a Sankey (d3-sankey): the earlier period's stages (and
 * the arrivals) on the left, the later period's on the right, a band per non-empty cell.
 */
export function layoutSankey(
  stages: readonly string[],
  counts: readonly (readonly number[])[],
  arrivals: readonly number[] | undefined,
  width: number,
  height: number,
): { nodes: SankeyNode[]; flows: SankeyFlow[] } {
  type N = { id: string; side: 'from' | 'to'; stage: string | null };
  type L = { source: string; target: string; value: number; from: string | null; to: string };
  const nodes: N[] = [
    ...stages.map((s) => ({ id: `from:${s}`, side: 'from' as const, stage: s })),
    ...(arrivals ? [{ id: 'from:', side: 'from' as const, stage: null }] : []),
    ...stages.map((s) => ({ id: `to:${s}`, side: 'to' as const, stage: s })),
  ];
  const links: L[] = [];
  stages.forEach((from, a) =>
    stages.forEach((to, b) => {
      const value = counts[a]?.[b] ?? 0;
      if (value > 0) links.push({ source: `from:${from}`, target: `to:${to}`, value, from, to });
    }),
  );
  arrivals?.forEach((value, b) => {
    const to = stages[b] as string;
    if (value > 0) links.push({ source: 'from:', target: `to:${to}`, value, from: null, to });
  });
  // nodes without a flow have no height: leave them out
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  const layout = sankey<N, L>()
    .nodeId((n) => n.id)
    .nodeWidth(12)
    .nodePadding(6)
    .nodeSort(null)
    .extent([
      [1, 1],
      [width - 1, height - 1],
    ]);
  const graph = layout({
    nodes: nodes.filter((n) => used.has(n.id)).map((n) => ({ ...n })),
    links: links.map((l) => ({ ...l })),
  });
  const path = sankeyLinkHorizontal();
  return {
    nodes: graph.nodes.map((n) => ({
      side: n.side,
      stage: n.stage,
      value: n.value ?? 0,
      x0: n.x0 ?? 0,
      x1: n.x1 ?? 0,
      y0: n.y0 ?? 0,
      y1: n.y1 ?? 0,
    })),
    flows: graph.links.map((l) => ({
      from: l.from,
      to: l.to,
      value: l.value,
      path: path(l) ?? '',
      width: Math.max(1, l.width ?? 1),
    })),
  };
}
