import { api } from '$lib/api';
import type { PageLoad } from './$types';

/** Settings: users and roles (admins), and the configuration in force. */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('strata:users');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const [users, units] = await Promise.all([
    user?.role === 'admin' ? client.users.list.query() : Promise.resolve(null),
    client.org.units.query(),
  ]);
  return { locale, user, csrf, users, units };
};
