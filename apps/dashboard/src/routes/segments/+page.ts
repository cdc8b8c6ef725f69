import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** Saved segments with their counts and overlap (bank-wide roles), and the rule builder. */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('strata:segments');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const bankWide = user?.role === 'admin' || user?.role === 'strategist' || user?.role === 'viewer';
  try {
    const [segments, summary] = await Promise.all([
      client.segments.list.query(),
      bankWide ? client.insight.summary.query() : Promise.resolve(null),
    ]);
    return { locale, user, csrf, segments, summary, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { locale, user, csrf, segments: [], summary: null, error: error.message };
    throw error;
  }
};
