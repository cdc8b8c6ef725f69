import { api } from '$lib/api';
import type { PageLoad } from './$types';

/** Settings: users and roles and embed keys (admins), and the configuration in force. */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
  depends('strata:users');
  depends('strata:embed-keys');
  depends('strata:settings');
  const { locale, user, csrf } = await parent();
  const client = api(fetch);
  const admin = user?.role === 'admin';
  const [users, units, embed, settings] = await Promise.all([
    admin ? client.users.list.query() : Promise.resolve(null),
    client.org.units.query(),
    admin ? client.embedKeys.list.query() : Promise.resolve(null),
    client.settings.get.query(),
  ]);
  return { locale, user, csrf, users, units, embed, settings };
};
