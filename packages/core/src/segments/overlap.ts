/** One segment's members (1 per customer index) and how it ranks against others. */
export interface Membership {
  readonly key: string;
  /** Lower wins. */
  readonly priority: number;
  /** Members of an exclusive segment are taken out of every lower-priority segment. */
  readonly exclusive: boolean;
  readonly members: Uint8Array;
}

/** How much segments overlap: `counts[a][b]` customers are in both (the diagonal: in a). */
export interface OverlapMatrix {
  readonly keys: readonly string[];
  readonly counts: readonly (readonly number[])[];
  /** |a ∩ b| / |a ∪ b|, 1 on the diagonal (0 for two empty segments). */
  readonly jaccard: readonly (readonly number[])[];
}

/**
 * The overlap matrix of a set of segments over the same customers.
 * @example overlapMatrix([senior, payroll, privateBanking]).jaccard[0][1]
 */
export function overlapMatrix(
  segments: readonly Pick<Membership, 'key' | 'members'>[],
): OverlapMatrix {
  const s = segments.length;
  const counts = Array.from({ length: s }, () => new Array<number>(s).fill(0));
  const n = segments[0]?.members.length ?? 0;
  for (const seg of segments)
    if (seg.members.length !== n)
      throw new RangeError('every segment must cover the same customers');
  const inSegments: number[] = [];
  for (let i = 0; i < n; i++) {
    inSegments.length = 0;
    for (let a = 0; a < s; a++) if (segments[a]?.members[i] === 1) inSegments.push(a);
    for (const a of inSegments) {
      const row = counts[a] as number[];
      for (const b of inSegments) row[b] = (row[b] ?? 0) + 1;
    }
  }
  const jaccard = counts.map((row, a) =>
    row.map((both, b) => {
      const union = (counts[a]?.[a] ?? 0) + (counts[b]?.[b] ?? 0) - both;
      return union === 0 ? (a === b ? 1 : 0) : both / union;
    }),
  );
  return { keys: segments.map((x) => x.key), counts, jaccard };
}

/** Who owns each customer once priorities and exclusivity are applied. */
export interface PrimaryResolution {
  /** Segment keys in resolution order (priority, then key). */
  readonly order: readonly string[];
  /** Per customer: the index (in `order`) of their primary segment, or -1 if in none. */
  readonly primary: Int16Array;
  /** Per segment (in `order`): members once exclusive segments above have taken theirs. */
  readonly effective: readonly Uint8Array[];
  /** Per segment (in `order`): customers whose primary segment it is. */
  readonly primaryCounts: readonly number[];
}

/**
 * Resolves one primary segment per customer (the highest-priority segment they are in) and
 * each segment's effective members: an exclusive segment removes its members from every
 * segment below it, so every customer has one owner and exclusive programmes never share.
 */
export function resolvePrimary(segments: readonly Membership[]): PrimaryResolution {
  const sorted = [...segments].sort(
    (x, y) => x.priority - y.priority || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
  );
  const n = sorted[0]?.members.length ?? 0;
  const primary = new Int16Array(n).fill(-1);
  const effective = sorted.map(() => new Uint8Array(n));
  const primaryCounts = sorted.map(() => 0);
  for (let i = 0; i < n; i++) {
    let taken = false;
    for (let k = 0; k < sorted.length; k++) {
      const seg = sorted[k] as Membership;
      if (seg.members[i] !== 1 || taken) continue;
      (effective[k] as Uint8Array)[i] = 1;
      if (primary[i] === -1) {
        primary[i] = k;
        primaryCounts[k] = (primaryCounts[k] ?? 0) + 1;
      }
      if (seg.exclusive) taken = true;
    }
  }
  return { order: sorted.map((x) => x.key), primary, effective, primaryCounts };
}
