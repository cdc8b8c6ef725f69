import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** The strategy board (策略管理看板). */
export const load: PageLoad = async ({ fetch, parent }) => {
  const { locale, user } = await parent();
  try {
    const board = await api(fetch).outcomes.board.query();
    return { locale, user, board, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError) return { locale, user, board: [], error: error.message };
    throw error;
  }
};
