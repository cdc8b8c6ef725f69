import { api } from '$lib/api';
import { LIFECYCLE_STAGES, isLifecycleStage } from '@strata/core';
import type { PageLoad } from './$types';

/**
 * The strategy editor: a new strategy, its audience pre-filled from a map cell
 * (`?segment=&stage=`), or an edit of an existing one (`?edit=key`, saved as a new version).
 */
export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const edit = url.searchParams.get('edit');
  const [segments, models, existing] = await Promise.all([
    client.segments.list.query(),
    client.strategies.models.query(),
    edit ? client.strategies.get.query({ key: edit }) : Promise.resolve(null),
  ]);
  const stage = url.searchParams.get('stage');
  return {
    locale,
    user,
    csrf,
    segments,
    models,
    existing,
    prefill: {
      segment: url.searchParams.get('segment') ?? '',
      stage: stage && isLifecycleStage(stage) ? stage : LIFECYCLE_STAGES[4],
    },
  };
};
