import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

const PAGE = 50;

/** The customer search: the filters are the URL's query (`q`, `branch`, `stage`, `tier`, `segment`, `kind`, `page`). */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale, user } = await parent();
  const client = api(fetch);
  const get = (k: string) => url.searchParams.get(k) || undefined;
  const branch = get('branch');
  const kind = get('kind');
  const pageNo = Math.max(1, Number(get('page') ?? 1) || 1);
  const filter = {
    q: get('q'),
    stage: get('stage'),
    previousStage: get('previous'),
    valueTier: get('tier'),
    segment: get('segment'),
    ...(branch !== undefined && { branch: Number(branch) }),
    ...((kind === 'retail' || kind === 'corporate') && { kind: kind as 'retail' | 'corporate' }),
  };
  try {
    const [found, units, segments] = await Promise.all([
      client.customers.search.query({ ...filter, limit: PAGE, offset: (pageNo - 1) * PAGE }),
      client.org.units.query(),
      client.segments.list.query(),
    ]);
    return { locale, user, filter, pageNo, pageSize: PAGE, found, units, segments, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        filter,
        pageNo,
        pageSize: PAGE,
        found: null,
        units: [],
        segments: [],
        error: error.message,
      };
    throw error;
  }
};
