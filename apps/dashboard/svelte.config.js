import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Read by svelte-check and the language tools; the build takes the same options from vite.config.ts.
export default { preprocess: vitePreprocess(), kit: { adapter: adapter({ out: 'build' }) } };
