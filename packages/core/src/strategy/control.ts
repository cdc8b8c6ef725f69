import { mix32 } from '../util/random.js';

/** A strategy run's two groups: contacted, or held back to measure what contact changed. */
export type Arm = 'treatment' | 'control';

/** A 32-bit hash of a text (FNV-1a, then mixed), the same on every machine. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/**
 * Where a customer falls for a strategy: a number in [0, 1) from a hash of the customer and the
 * strategy, so the split is random (independent of anything about the customer), the same every
 * time the list is made, and a customer who joins later lands in the control group with the same
 * chance as everyone before. Different strategies split independently.
 */
export function splitPosition(customerId: number, strategyKey: string): number {
  let key = keyHashes.get(strategyKey);
  if (key === undefined) {
    key = hashText(strategyKey);
    if (keyHashes.size >= 1_024) keyHashes.clear();
    keyHashes.set(strategyKey, key);
  }
  return mix32(key ^ mix32(customerId >>> 0)) / 2 ** 32;
}

/** Strategy keys' hashes: a list run splits a million customers over a few strategies. */
const keyHashes = new Map<string, number>();

/**
 * The arm of a customer in a strategy with a control share (0.05–0.10 is usual; 0 for none).
 * @example
 * assignArm(1042, 'wealth-maturity-v3', 0.1); // 'treatment' or 'control', always the same
 */
export function assignArm(customerId: number, strategyKey: string, controlShare: number): Arm {
  if (!(controlShare >= 0 && controlShare < 1))
    throw new RangeError(`a control share is in [0, 1), got ${controlShare}`);
  return splitPosition(customerId, strategyKey) < controlShare ? 'control' : 'treatment';
}
