import { api } from '$lib/api';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** The import wizard's vocabulary and the run history (imports and refreshes). */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('strata:imports');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  try {
    const [fields, imports, mappings, runs] = await Promise.all([
      client.imports.fields.query(),
      client.imports.list.query({ limit: 20 }),
      client.imports.mappings.query(),
      client.insight.runs.query({ limit: 10 }),
    ]);
    return { locale, user, csrf, fields, imports, mappings, runs, error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        csrf,
        fields: [],
        imports: [],
        mappings: [],
        runs: [],
        error: error.message,
      };
    throw error;
  }
};
