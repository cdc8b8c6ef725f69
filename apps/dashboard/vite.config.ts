import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// In `vite dev`, API calls go to a running Strata server (STRATA_API, default :3000).
const api = process.env.STRATA_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ out: 'build' }), preprocess: vitePreprocess() })],
  server: { proxy: { '/trpc': api, '/widgets': api } },
});
