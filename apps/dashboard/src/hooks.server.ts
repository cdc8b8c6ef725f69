import { toLocale } from '@strata/core';
import type { Handle, HandleFetch } from '@sveltejs/kit';
import { apiOrigin, internalKey } from '$lib/server/env';

/** The language comes from `?lang=` (then remembered in a cookie) or the cookie; zh-CN by default. */
export const handle: Handle = async ({ event, resolve }) => {
  const asked = event.url.searchParams.get('lang');
  if (asked)
    event.cookies.set('lang', toLocale(asked), {
      path: '/',
      httpOnly: false,
      sameSite: 'lax',
      maxAge: 60 * 60 * 24 * 365,
    });
  event.locals.locale = toLocale(asked ?? event.cookies.get('lang'));
  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
};

/**
 * SvelteKit answers same-origin fetches during server rendering itself; the API is not one of
 * its routes, so send `/trpc/` calls to the API over HTTP, with the user's cookies.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/trpc/')) return fetch(request);
  const target = new URL(url.pathname + url.search, apiOrigin(event.url.origin));
  const headers = new Headers(request.headers);
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.set('cookie', cookie);
  // the browser's address, for the API's rate limit and audit, vouched for by the internal key
  const key = internalKey();
  if (key) {
    headers.set('x-strata-internal', key);
    headers.set('x-strata-client', event.getClientAddress());
  }
  return globalThis.fetch(
    new Request(target, {
      method: request.method,
      headers,
      body: request.body,
      duplex: 'half',
    } as RequestInit),
  );
};
