import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** A strategy with its versions, lists and review. */
export const load: PageLoad = async ({ fetch, params, parent, depends }) => {
  depends('strata:strategy');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  try {
    const [strategy, lists, segments] = await Promise.all([
      client.strategies.get.query({ key: params.key }),
      client.lists.list.query({ strategy: params.key, limit: 20 }),
      client.segments.list.query(),
    ]);
    // the review is for the bank-wide roles
    const review = await client.outcomes.review.query({ key: params.key }).catch(() => null);
    return { locale, user, csrf, strategy, lists, segments, review };
  } catch (e) {
    if (e instanceof TRPCClientError && e.data?.code === 'NOT_FOUND') error(404, e.message);
    throw e;
  }
};
