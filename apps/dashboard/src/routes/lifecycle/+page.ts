import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/**
 * Loads the funnel (of a segment's members, if one is chosen) and the migration for the period
 * and branch in the URL (`?period=&branch=&segment=`).
 */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale } = await parent();
  const client = api(fetch);
  const period = url.searchParams.get('period') ?? undefined;
  const branchParam = url.searchParams.get('branch');
  const branch = branchParam ? Number(branchParam) : undefined;
  const segment = url.searchParams.get('segment') || undefined;
  try {
    const [units, segments, funnel, migration] = await Promise.all([
      client.org.units.query(),
      client.segments.list.query(),
      client.lifecycle.funnel.query({ period, branch, segment }),
      client.lifecycle.migration.query({ to: period, branch }).catch(() => null),
    ]);
    return { locale, units, segments, funnel, migration, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        units: [],
        segments: [],
        funnel: null,
        migration: null,
        error: error.message,
      };
    throw error;
  }
};
