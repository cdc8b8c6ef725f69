import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** Loads the funnel and the migration for the period and branch in the URL (`?period=&branch=`). */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale } = await parent();
  const client = api(fetch);
  const period = url.searchParams.get('period') ?? undefined;
  const branchParam = url.searchParams.get('branch');
  const branch = branchParam ? Number(branchParam) : undefined;
  try {
    const [units, funnel, migration] = await Promise.all([
      client.org.units.query(),
      client.lifecycle.funnel.query({ period, branch }),
      client.lifecycle.migration.query({ to: period, branch }).catch(() => null),
    ]);
    return { locale, units, funnel, migration, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { locale, units: [], funnel: null, migration: null, error: error.message };
    throw error;
  }
};
