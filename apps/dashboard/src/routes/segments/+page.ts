import { api } from '$lib/api';
import { parseRule, type Condition } from '@strata/core';
import { TRPCClientError } from '@trpc/client';
import type { PageLoad } from './$types';

/**
 * Saved segments with their counts and overlap (bank-wide roles), and the rule builder: empty,
 * from a rule in the URL (`?rule=&name=`), or editing a saved segment (`?edit=key`).
 */
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
    const editKey = url.searchParams.get('edit');
    const editing = editKey ? (segments.find((x) => x.key === editKey) ?? null) : null;
    return {
      locale,
      user,
      csrf,
      segments,
      summary,
      start: editing ? { rule: editing.rule, name: editing.name } : startFrom(url),
      editing,
      error: null,
    };
  } catch (error) {
    if (error instanceof TRPCClientError)
      return {
        locale,
        user,
        csrf,
        segments: [],
        summary: null,
        start: startFrom(url),
        editing: null,
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
