import { svelteConfig } from '@strata/eslint-config/svelte';

export default [...svelteConfig, { ignores: ['.svelte-kit/**', 'build/**'] }];
