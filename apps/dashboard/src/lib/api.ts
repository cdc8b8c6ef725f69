import type { AppRouter } from '@strata/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';

/**
 * A typed API client over SvelteKit's `fetch` (so it works in load functions on the server,
 * forwarding the user's cookies, and in the browser).
 */
export function api(fetch: typeof globalThis.fetch) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/trpc', fetch })] });
}
