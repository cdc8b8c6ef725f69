import { env } from '$env/dynamic/private';

/**
 * Where server-side loads reach the API. The Strata server sets STRATA_API_ORIGIN to its own
 * loopback address; run alone (vite dev), the dashboard falls back to the page's origin.
 */
export function apiOrigin(pageOrigin: string): string {
  return env.STRATA_API_ORIGIN || pageOrigin;
}

/** The key that marks this process's own calls to the API (set by the Strata server). */
export function internalKey(): string | undefined {
  return env.STRATA_INTERNAL_KEY || undefined;
}
