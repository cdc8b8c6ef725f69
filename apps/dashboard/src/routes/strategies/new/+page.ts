import { api } from '$lib/api';
import { LIFECYCLE_STAGES, isLifecycleStage } from '@strata/core';
import type { PageLoad } from './$types';

/** The editor for a new strategy, its audience pre-filled from a map cell (`?segment=&stage=`). */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const [segments, models] = await Promise.all([
    client.segments.list.query(),
    client.strategies.models.query(),
  ]);
  const stage = url.searchParams.get('stage');
  return {
    locale,
    user,
    csrf,
    segments,
    models,
    prefill: {
      segment: url.searchParams.get('segment') ?? '',
      stage: stage && isLifecycleStage(stage) ? stage : LIFECYCLE_STAGES[4],
    },
  };
};
