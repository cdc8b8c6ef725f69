import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

const DIMENSIONS = ['primary', 'aum_tier', 'corporate_tier', 'enterprise_size', 'pareto'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** The strategy map for the dimension, ranking and branch in the URL. */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale, user } = await parent();
  const client = api(fetch);
  const asked = url.searchParams.get('dimension');
  const dimension: Dimension = DIMENSIONS.includes(asked as Dimension)
    ? (asked as Dimension)
    : 'primary';
  const shadeBy = url.searchParams.get('shade') === 'aum' ? 'aum' : 'customers';
  const branchParam = url.searchParams.get('branch');
  const branch = branchParam ? Number(branchParam) : undefined;
  try {
    const [map, segments, strategies, units] = await Promise.all([
      client.strategies.map.query({
        dimension,
        rankBy: shadeBy,
        minCustomers: 50,
        ...(branch !== undefined && { branch }),
      }),
      client.segments.list.query(),
      client.strategies.list.query(),
      client.org.units.query(),
    ]);
    return {
      locale,
      user,
      dimension,
      dimensions: DIMENSIONS,
      shadeBy,
      map,
      segments,
      strategies,
      units,
      error: null,
    } as const;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        dimension,
        dimensions: DIMENSIONS,
        shadeBy,
        map: null,
        segments: [],
        strategies: [],
        units: [],
        error: error.message,
      } as const;
    throw error;
  }
};
