import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Read by svelte-check and the language tools; the build takes the same options from vite.config.ts.
process.env.STRATA_BUILD_VERSION ??= Date.now().toString();
export default {
  preprocess: vitePreprocess(),
  kit: { adapter: adapter({ out: 'build' }), version: { name: process.env.STRATA_BUILD_VERSION } },
};
