import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { safeNext } from '$lib/auth/post';
import type { LayoutServerLoad } from './$types';

/** Pages anyone may open: sign-in and the first-run setup. */
const OPEN = new Set(['/login', '/setup']);

/**
 * Who is signed in. Every page but sign-in and setup needs a session: without one, the first
 * run goes to the setup page, later ones to sign-in (and back to the page asked for).
 */
export const load: LayoutServerLoad = async ({ locals, fetch, url }) => {
  const status = await api(fetch).auth.status.query();
  const path = url.pathname;
  if (status.setupOpen && path !== '/setup') redirect(303, '/setup');
  if (!status.setupOpen && path === '/setup') redirect(303, status.user ? '/' : '/login');
  if (!status.user && !OPEN.has(path))
    redirect(303, `/login?next=${encodeURIComponent(path + url.search)}`);
  if (status.user && path === '/login') redirect(303, safeNext(url.searchParams.get('next')));
  return {
    locale: locals.locale,
    user: status.user
      ? {
          username: status.user.username,
          displayName: status.user.displayName,
          role: status.user.role,
        }
      : null,
    csrf: status.csrf,
  };
};
