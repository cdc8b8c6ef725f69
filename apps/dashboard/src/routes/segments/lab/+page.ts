import type { PageLoad } from './$types';

/** The clustering lab: everything happens on the page (the lab runs on demand). */
export const load: PageLoad = async ({ parent }) => {
  const { locale, user, csrf } = await parent();
  return { locale, user, csrf };
};
