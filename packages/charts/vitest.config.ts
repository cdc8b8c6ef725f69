import { svelte } from '@sveltejs/vite-plugin-svelte';
import { strataTestConfig } from '@strata/vitest-config';
import { mergeConfig } from 'vitest/config';

// Charts are rendered on the server (svelte/server) in tests: the DOM they produce is checked as HTML.
export default mergeConfig(strataTestConfig(), { plugins: [svelte()] });
