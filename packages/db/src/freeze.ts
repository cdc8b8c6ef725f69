/**
 * Freezes a parsed JSON value all the way down: what a cache hands to many callers must not be
 * changed by one of them (in strict mode, trying throws).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
