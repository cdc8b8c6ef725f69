import type { Rng } from '@strata/core';
import { dayIn, iso, type BankContext } from './shared.js';

/**
 * How a retail customer's relationship unfolds over the window: an archetype (prospect, new,
 * long churned, long dormant, established) and, for established customers, a path (stable,
 * growing, declining, going dormant, churning, coming back). The generator turns a plan into
 * monthly snapshots and events.
 */
type Archetype = 'prospect' | 'new' | 'churned_before' | 'dormant_before' | 'established';
type Path = 'stable' | 'growing' | 'declining' | 'going_dormant' | 'churning' | 'winback';

/** Monthly AUM and whether the customer acts in each month, for every period. */
export interface Plan {
  aum: number[];
  active: boolean[];
  linkedDay: number;
  openedDay: number | null;
  closedDay: number | null;
  fundedBefore: boolean;
  lastTxnBefore: number | null;
}

export function planOf(rng: Rng, ctx: BankContext, base: number): Plan {
  const P = ctx.periods.length;
  const first = ctx.startDay[0] ?? 0;
  const archetype = (
    ['prospect', 'new', 'churned_before', 'dormant_before', 'established'] as const
  )[rng.weighted([4.5, 13, 6, 12, 64.5])] as Archetype;
  const aum = new Array<number>(P).fill(0);
  const active = new Array<boolean>(P).fill(false);
  const longAgo = () => first - rng.int(200, 365 * 18);
  const residual = () => rng.next() * 80;

  if (archetype === 'prospect') {
    const linkedDay = rng.chance(0.3)
      ? dayIn(rng, ctx, rng.int(0, P - 1))
      : first - rng.int(1, 365 * 5);
    const converts = rng.chance(0.15);
    const m = rng.int(0, P - 1);
    const openedDay = converts ? Math.max(linkedDay, dayIn(rng, ctx, m)) : null;
    if (openedDay !== null) {
      for (let t = 0; t < P; t++) {
        if ((ctx.endDay[t] ?? 0) < openedDay) continue;
        aum[t] = base * 0.5 * Math.min(1, (t - m + 1) / 3);
        active[t] = true;
      }
    }
    return {
      aum,
      active,
      linkedDay,
      openedDay,
      closedDay: null,
      fundedBefore: false,
      lastTxnBefore: null,
    };
  }
  if (archetype === 'new') {
    const m = rng.int(0, P - 1);
    const openedDay = dayIn(rng, ctx, m);
    const neverFunds = rng.chance(0.06);
    let level = base * (0.2 + 0.3 * rng.next());
    for (let t = m; t < P; t++) {
      if (!neverFunds) aum[t] = level;
      level *= 1 + 0.12 * rng.next();
      active[t] = !neverFunds;
    }
    return {
      aum,
      active,
      linkedDay: openedDay,
      openedDay,
      closedDay: null,
      fundedBefore: false,
      lastTxnBefore: null,
    };
  }
  const openedDay = longAgo();
  if (archetype === 'churned_before') {
    for (let t = 0; t < P; t++) aum[t] = residual();
    const closedDay = rng.chance(0.5) ? first - rng.int(1, 365 * 3) : null;
    return {
      aum,
      active,
      linkedDay: openedDay,
      openedDay,
      closedDay: closedDay !== null && closedDay < openedDay ? openedDay + 1 : closedDay,
      fundedBefore: true,
      lastTxnBefore: first - rng.int(200, 900),
    };
  }
  if (archetype === 'dormant_before') {
    let level = base * 0.3;
    const wakes = rng.chance(0.25) ? rng.int(2, P - 1) : P;
    for (let t = 0; t < P; t++) {
      if (t === wakes) level = Math.max(level, base * (0.3 + 0.5 * rng.next()));
      aum[t] = level;
      level *= t >= wakes ? 1 + 0.04 * rng.normal() : 1.0015; // interest only while asleep
      active[t] = t >= wakes;
    }
    return {
      aum,
      active,
      linkedDay: openedDay,
      openedDay,
      closedDay: null,
      fundedBefore: true,
      lastTxnBefore: first - rng.int(120, 900),
    };
  }

  const path = (
    ['stable', 'growing', 'declining', 'going_dormant', 'churning', 'winback'] as const
  )[rng.weighted([55, 14, 12, 8, 6, 5])] as Path;
  let level = base;
  let closedDay: number | null = null;
  const g = rng.int(0, P - 2);
  const len = rng.int(3, 6);
  const d = rng.int(2, P - 1);
  const stop = rng.int(-4, P - 1);
  const d1 = rng.int(0, 5);
  const back = d1 + rng.int(2, 5);
  for (let t = 0; t < P; t++) {
    let mult = Math.exp(0.03 * rng.normal() + 0.002);
    let acts = true;
    if (path === 'growing' && t >= g && t < g + len) mult *= 1.04 + 0.06 * rng.next();
    if (path === 'declining' && t >= d && t < d + rng.int(2, 4)) mult *= 0.75 + 0.13 * rng.next();
    if (path === 'going_dormant' && t >= stop) {
      mult = 1.0015;
      acts = false;
    }
    level *= mult;
    if (path === 'churning' && t >= d) {
      level = t === d ? level * 0.3 : residual();
      acts = t === d;
      if (t === d + 1 && rng.chance(0.5)) closedDay = dayIn(rng, ctx, t);
    }
    if (path === 'winback' && t >= d1 && t < back) {
      acts = false;
      level = residual();
    }
    if (path === 'winback' && t === back) level = base * (0.3 + 0.7 * rng.next());
    aum[t] = level;
    active[t] = acts;
  }
  return {
    aum,
    active,
    linkedDay: openedDay,
    openedDay,
    closedDay,
    fundedBefore: true,
    lastTxnBefore:
      path === 'going_dormant' && stop < 0
        ? first + stop * 30 - rng.int(1, 20)
        : first - rng.int(1, 20),
  };
}

export function fundedOnOf(plan: Plan, ctx: BankContext): string | null {
  if (plan.openedDay === null) return null;
  if (plan.fundedBefore) return iso(plan.openedDay);
  for (let t = 0; t < plan.aum.length; t++) {
    if ((plan.aum[t] ?? 0) > 100 && (ctx.endDay[t] ?? 0) >= plan.openedDay)
      return iso(Math.max(plan.openedDay, ctx.startDay[t] ?? 0));
  }
  return null;
}
