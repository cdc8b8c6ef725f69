import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** The overview: the bank (or the caller's branch) now, its trend, its strategies, what changed. */
export const load: PageLoad = async ({ fetch, parent }) => {
  const { locale, user } = await parent();
  const client = api(fetch);
  const bankWide = user?.role === 'admin' || user?.role === 'strategist' || user?.role === 'viewer';
  try {
    const now = await client.lifecycle.funnel.query();
    const recent = now.periods.slice(-6);
    const [trend, tiers, corporate, strategies, board, migration, deposits] = await Promise.all([
      Promise.all(recent.map((period) => client.lifecycle.funnel.query({ period }))),
      client.insight.matrix.query({ dimension: 'aum_tier' }),
      client.insight.matrix.query({ dimension: 'corporate_tier' }),
      client.strategies.list.query(),
      bankWide ? client.outcomes.board.query() : Promise.resolve(null),
      client.lifecycle.migration.query().catch(() => null),
      client.insight.deposits.query(),
    ]);
    return {
      locale,
      user,
      now,
      trend,
      tiers,
      corporate,
      strategies,
      board,
      migration,
      deposits,
      error: null,
    };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        now: null,
        trend: [],
        tiers: null,
        corporate: null,
        strategies: [],
        board: null,
        migration: null,
        deposits: null,
        error: error.message,
      };
    throw error;
  }
};
