import { env } from '$env/dynamic/private';

/**
 * Where server-side loads reach the API. The Strata server sets STRATA_API_ORIGIN to its own
 * loopback address; run alone (vite dev), the dashboard falls back to the page's origin.
 */
export function apiOrigin(pageOrigin: string): string {
  return env.STRATA_API_ORIGIN || pageOrigin;
}
