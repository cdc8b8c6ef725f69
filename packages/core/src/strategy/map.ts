import type { Channel } from '../contact/channels.js';
import { MOT_EVENT_TYPES, type MotEventType } from '../features/events.js';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../lifecycle/stages.js';
import type { StrategyDefinition, StrategyStatus } from './definition.js';

/** Customers and AUM in one cell of the map (a row value × a lifecycle stage). */
export interface MapCellInput {
  readonly row: string;
  readonly stage: string;
  readonly customers: number;
  readonly aum: number;
}

/** A strategy as the map needs it. */
export interface MapStrategy {
  readonly key: string;
  readonly status: StrategyStatus;
  readonly definition: Pick<
    StrategyDefinition,
    'audience' | 'channel' | 'priority' | 'name' | 'products'
  >;
}

/** Strategies in one cell on one channel: they target the same customers the same way. */
export interface Collision {
  readonly row: string;
  readonly stage: LifecycleStage;
  readonly channel: Channel;
  readonly strategies: readonly string[];
  /** Customers of the cell claimed by two or more of them (when counted from the audiences). */
  readonly customers?: number;
}

export interface MapCell {
  readonly row: string;
  readonly stage: LifecycleStage;
  readonly customers: number;
  readonly aum: number;
  /** Active strategies aimed at this cell. */
  readonly strategies: readonly string[];
  /** Customers or value at stake and no active strategy. */
  readonly gap: boolean;
}

export interface StrategyMap {
  readonly dimension: string;
  readonly rows: readonly string[];
  readonly stages: readonly LifecycleStage[];
  readonly cells: readonly MapCell[];
  /** Gap cells, most at stake first. */
  readonly gaps: readonly MapCell[];
  readonly collisions: readonly Collision[];
  /** The event-trigger columns: each MOT event with the active strategies it triggers. */
  readonly events: readonly {
    readonly event: MotEventType;
    readonly strategies: readonly string[];
  }[];
  /** Active strategies whose audience is a rule: they cut across cells. */
  readonly ruleStrategies: readonly string[];
  /** The product scenario columns: each product active strategies offer, with those strategies. */
  readonly products: readonly {
    readonly product: string;
    readonly strategies: readonly string[];
  }[];
}

/** Options of `buildStrategyMap`. */
export interface StrategyMapOptions {
  /** What a cell's row values are: `primary` (a customer's primary segment) or a tier dimension. */
  readonly dimension: string;
  /** A cell holding fewer customers than this is not a gap. @default 50 */
  readonly minCustomers?: number;
  /** What ranks the gaps. @default 'aum' */
  readonly rankBy?: 'aum' | 'customers';
  /**
   * The collisions counted from the audiences themselves (customers claimed by several active
   * strategies on one channel, rule audiences included), per cell. Without them, collisions are
   * the cells several strategies aim at by name.
   */
  readonly overlaps?: readonly Collision[];
}

/**
 * The strategy map (策略图谱): rows (segments or tiers) × lifecycle stages, with the active
 * strategies aimed at each cell, the gaps (cells with customers or value at stake and no active
 * strategy, most at stake first) and the collisions (several active strategies on one cell and
 * one channel), plus the event-trigger columns. A cell audience names its row as the row value
 * itself (`payroll`) or, for a tier dimension, as `dimension:value` (`aum_tier:3`).
 */
export function buildStrategyMap(
  input: readonly MapCellInput[],
  strategies: readonly MapStrategy[],
  options: StrategyMapOptions,
): StrategyMap {
  const minCustomers = options.minCustomers ?? 50;
  const active = strategies.filter((s) => s.status === 'active');
  const rows = [...new Set(input.map((c) => c.row))].sort();
  const stages = LIFECYCLE_STAGES;
  const byCell = new Map<string, { customers: number; aum: number }>();
  for (const c of input) {
    const k = `${c.row}\u0000${c.stage}`;
    const prev = byCell.get(k) ?? { customers: 0, aum: 0 };
    byCell.set(k, { customers: prev.customers + c.customers, aum: prev.aum + c.aum });
  }
  const aims = (s: MapStrategy, row: string, stage: LifecycleStage) =>
    s.definition.audience.kind === 'cell' &&
    s.definition.audience.stage === stage &&
    (s.definition.audience.segment === row ||
      s.definition.audience.segment === `${options.dimension}:${row}`);

  const cells: MapCell[] = [];
  const collisions: Collision[] = [];
  for (const row of rows)
    for (const stage of stages) {
      const totals = byCell.get(`${row}\u0000${stage}`) ?? { customers: 0, aum: 0 };
      const here = active.filter((s) => aims(s, row, stage));
      cells.push({
        row,
        stage,
        customers: totals.customers,
        aum: totals.aum,
        strategies: here.map((s) => s.key),
        gap: here.length === 0 && totals.customers >= minCustomers,
      });
      const byChannel = new Map<Channel, string[]>();
      for (const s of here)
        byChannel.set(s.definition.channel, [
          ...(byChannel.get(s.definition.channel) ?? []),
          s.key,
        ]);
      if (!options.overlaps)
        for (const [channel, keys] of byChannel)
          if (keys.length > 1) collisions.push({ row, stage, channel, strategies: keys });
    }
  const rank = options.rankBy ?? 'aum';
  const gaps = cells
    .filter((c) => c.gap)
    .sort((a, b) =>
      rank === 'aum'
        ? b.aum - a.aum || b.customers - a.customers
        : b.customers - a.customers || b.aum - a.aum,
    );
  return {
    dimension: options.dimension,
    rows,
    stages,
    cells,
    gaps,
    collisions: options.overlaps
      ? [...options.overlaps].sort(
          (a, b) => (b.customers ?? 0) - (a.customers ?? 0) || a.row.localeCompare(b.row),
        )
      : collisions,
    events: MOT_EVENT_TYPES.map((event) => ({
      event,
      strategies: active
        .filter(
          (s) => s.definition.audience.kind === 'event' && s.definition.audience.event === event,
        )
        .map((s) => s.key),
    })),
    ruleStrategies: active.filter((s) => s.definition.audience.kind === 'rule').map((s) => s.key),
    products: [...new Set(active.flatMap((s) => s.definition.products))].sort().map((product) => ({
      product,
      strategies: active.filter((s) => s.definition.products.includes(product)).map((s) => s.key),
    })),
  };
}
