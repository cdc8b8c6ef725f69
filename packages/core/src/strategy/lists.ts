import type { Channel } from '../contact/channels.js';
import {
  arbitrateEach,
  type Claim,
  type ClaimOutcome,
  type ContactFacts,
  type ContactPolicy,
} from './arbitrate.js';
import { assignArm, type Arm } from './control.js';
import type { Selection } from './scoring.js';

/** A strategy (at one version) making a list, with the customers its audience selects. */
export interface ListRequest {
  readonly strategyKey: string;
  readonly version: number;
  readonly priority: number;
  readonly channel: Channel;
  readonly controlShare: number;
  /** Customer ids the audience selects (a rule's members, a map cell, event customers). */
  readonly audience: ArrayLike<number>;
  /** With a model: which group chose each audience customer (see `selectByModel`). */
  readonly selection?: ReadonlyMap<number, Selection>;
}

/** One customer on one strategy's list. */
export interface ListEntry {
  readonly strategyKey: string;
  readonly version: number;
  readonly customerId: number;
  /** Listed: treatment customers are contacted, control customers are held back. */
  readonly arm: Arm;
  /** The owning relationship manager, if any (for branch and RM tasks). */
  readonly rmId: number | null;
  /** With a model: the model group (模型组) or the rule group (非模型组); otherwise null. */
  readonly selection: Selection | null;
}

/** A claim that did not make a list, and why. */
export interface Excluded {
  readonly strategyKey: string;
  readonly customerId: number;
  readonly reason: Exclude<ClaimOutcome, 'listed'>;
}

/** Per strategy: how its audience became its list. */
export interface ListSummary {
  readonly strategyKey: string;
  readonly audience: number;
  readonly listed: number;
  readonly treatment: number;
  readonly control: number;
  readonly excluded: Readonly<Partial<Record<Exclude<ClaimOutcome, 'listed'>, number>>>;
  /** With a model: listed customers per group. */
  readonly selected?: { readonly model: number; readonly rule: number };
}

/**
 * Makes the lists (名单) of several strategies run together: every audience member becomes a
 * claim; `arbitrate` decides who may be contacted by whom this period (consent, opt-out,
 * cooling-off, caps, priority, channel order); then each listed customer's arm is drawn with
 * `assignArm`, so a strategy's control group is held back from customers it would really have
 * contacted (the slot a control customer takes is not given to another strategy: the control
 * group sees no contact from this run, as the treatment group's counterfactual). Pure and
 * deterministic: the same inputs give the same lists. Entries come by ascending customer id.
 */
export function generateLists(
  requests: readonly ListRequest[],
  policy: ContactPolicy,
  facts: ContactFacts,
  today: number,
  rmOf: (customerId: number) => number | null = () => null,
): { entries: ListEntry[]; excluded: Excluded[]; summary: ListSummary[] } {
  const byKey = new Map(requests.map((r) => [r.strategyKey, r]));
  if (byKey.size !== requests.length) throw new RangeError('each strategy may run once in a batch');
  // Each claim knows its request (`at`), so a decision finds its strategy without a lookup.
  let count = 0;
  for (const r of requests) count += r.audience.length;
  const claims = new Array<Claim & { readonly at: number }>(count);
  count = 0;
  requests.forEach((r, at) => {
    const { strategyKey, priority, channel, audience } = r;
    for (let k = 0; k < audience.length; k++)
      claims[count++] = { customerId: audience[k] as number, strategyKey, priority, channel, at };
  });
  const entries: ListEntry[] = [];
  const excluded: Excluded[] = [];
  type Tally = {
    -readonly [K in keyof ListSummary]: K extends 'excluded'
      ? Partial<Record<Exclude<ClaimOutcome, 'listed'>, number>>
      : ListSummary[K];
  };
  const summary = new Map<string, Tally>(
    requests.map((r) => [
      r.strategyKey,
      {
        strategyKey: r.strategyKey,
        audience: r.audience.length,
        listed: 0,
        treatment: 0,
        control: 0,
        excluded: {},
        ...(r.selection && { selected: { model: 0, rule: 0 } }),
      },
    ]),
  );
  const tallies = requests.map((r) => summary.get(r.strategyKey) as Tally);
  arbitrateEach(claims, policy, facts, today, (d) => {
    const at = (d.claim as Claim & { readonly at: number }).at;
    const r = requests[at] as ListRequest;
    const s = tallies[at] as Tally;
    if (d.outcome !== 'listed') {
      excluded.push({
        strategyKey: r.strategyKey,
        customerId: d.claim.customerId,
        reason: d.outcome,
      });
      s.excluded[d.outcome] = (s.excluded[d.outcome] ?? 0) + 1;
      return;
    }
    const arm = assignArm(d.claim.customerId, r.strategyKey, r.controlShare);
    entries.push({
      strategyKey: r.strategyKey,
      version: r.version,
      customerId: d.claim.customerId,
      arm,
      rmId: rmOf(d.claim.customerId),
      selection: r.selection?.get(d.claim.customerId) ?? null,
    });
    s.listed++;
    if (s.selected && r.selection) {
      const group = r.selection.get(d.claim.customerId);
      if (group) s.selected = { ...s.selected, [group]: s.selected[group] + 1 };
    }
    if (arm === 'control') s.control++;
    else s.treatment++;
  });
  return { entries, excluded, summary: [...summary.values()] };
}
