import { api } from '$lib/api';
import { parseRule, type Condition } from '@strata/core';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/** Saved segments with their counts and overlap (bank-wide roles), and the rule builder. */
export const load: PageLoad = async ({ fetch, parent, depends, url }) => {
  depends('strata:segments');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const bankWide = user?.role === 'admin' || user?.role === 'strategist' || user?.role === 'viewer';
  try {
    const [segments, summary] = await Promise.all([
      client.segments.list.query(),
      bankWide ? client.insight.summary.query() : Promise.resolve(null),
    ]);
    return { locale, user, csrf, segments, summary, start: startFrom(url), error: null };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        csrf,
        segments: [],
        summary: null,
        start: startFrom(url),
        error: error.message,
      };
    throw error;
  }
};

/** A rule and a name to start the builder from (`?rule=…&name=…`, e.g. a cluster from the lab). */
function startFrom(url: URL): { rule: Condition; name: string } | null {
  const text = url.searchParams.get('rule');
  if (!text) return null;
  try {
    const check = parseRule(JSON.parse(text));
    return check.ok ? { rule: check.rule, name: url.searchParams.get('name') ?? '' } : null;
  } catch {
    return null;
  }
}
