import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** A customer's profile (客户画像): masked card, tags with their why, history, events, lists. */
export const load: PageLoad = async ({ fetch, params, parent }) => {
  const { locale, user, csrf } = await parent();
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) error(404, `No customer ${params.id}.`);
  const client = api(fetch);
  try {
    const [card, profile, lists, segments] = await Promise.all([
      client.customers.get.query({ customer: id }),
      client.insight.profile.query({ customer: id }),
      client.customers.lists.query({ customer: id }),
      client.segments.list.query(),
    ]);
    return { locale, user, csrf, card, profile, lists, segments };
  } catch (e) {
    // out of the caller's scope is "not found", exactly as a customer that does not exist
    if (e instanceof TRPCClientError && e.data?.code === 'NOT_FOUND') error(404, e.message);
    throw e;
  }
};
