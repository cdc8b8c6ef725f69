import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// In `vite dev`, API calls go to a running Strata server (STRATA_API, default :3000).
const api = process.env.STRATA_API ?? 'http://127.0.0.1:3000';

// One version name per build. Kit defaults it to Date.now() each time it validates its options;
// when two loads of the config disagree (two passes of a build, or a `svelte-kit sync` in another
// process rewriting .svelte-kit/generated while the build reads it), the server renders a
// `__sveltekit_<hash>` global the client does not look for and the page never hydrates. The
// environment variable is shared by every config load of this build (and its children); turbo
// also never runs the dashboard's sync (typecheck, test) beside its build.
process.env.STRATA_BUILD_VERSION ??= Date.now().toString();
const version = { name: process.env.STRATA_BUILD_VERSION };

// A strict Content-Security-Policy: scripts only from this origin (Kit adds the hashes of its own
// inline start-up script), nothing fetched from anywhere else, no framing. Inline style
// attributes stay allowed: the charts set colours through CSS variables on elements.
export const csp = {
  mode: 'hash' as const,
  directives: {
    'default-src': ['self' as const],
    'script-src': ['self' as const],
    'style-src': ['self' as const, 'unsafe-inline' as const],
    'img-src': ['self' as const, 'data:' as const],
    'font-src': ['self' as const],
    'connect-src': ['self' as const],
    'object-src': ['none' as const],
    'base-uri': ['self' as const],
    'form-action': ['self' as const],
    'frame-ancestors': ['none' as const],
  },
};

export default defineConfig({
  plugins: [
    sveltekit({ adapter: adapter({ out: 'build' }), preprocess: vitePreprocess(), version, csp }),
  ],
  server: { proxy: { '/trpc': api, '/widgets': api } },
});
