import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** Every strategy at its current version. */
export const load: PageLoad = async ({ fetch, parent }) => {
  const { locale, user } = await parent();
  try {
    const [strategies, segments] = await Promise.all([
      api(fetch).strategies.list.query(),
      api(fetch).segments.list.query(),
    ]);
    return { locale, user, strategies, segments, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { locale, user, strategies: [], segments: [], error: error.message };
    throw error;
  }
};
