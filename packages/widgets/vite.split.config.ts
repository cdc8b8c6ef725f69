import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// One ES module per element with the shared runtime (Svelte, the card, the API client, d3) in
// shared chunks: what the size benchmark (`STRATA_BENCH_ONLY=widgets pnpm bench`) measures, to
// count each element's own cost and the runtime once. Portals load dist/strata-widgets.js.
export const ELEMENTS = {
  'lifecycle-funnel': 'src/lifecycle-funnel/LifecycleFunnel.svelte',
  'customer-profile': 'src/customer-profile/CustomerProfile.svelte',
  'next-actions': 'src/next-actions/NextActions.svelte',
  'strategy-map': 'src/strategy-map/StrategyMap.svelte',
  kpi: 'src/kpi/Kpi.svelte',
};

export default defineConfig({
  plugins: [
    svelte({ compilerOptions: { customElement: true, discloseVersion: false }, emitCss: false }),
  ],
  build: {
    target: 'es2020',
    outDir: 'dist-split',
    emptyOutDir: true,
    lib: { entry: ELEMENTS, formats: ['es'] },
    sourcemap: false,
    minify: true,
    rolldownOptions: { output: { minify: true } },
  },
});
