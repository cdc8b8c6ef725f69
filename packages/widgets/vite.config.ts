import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// One self-contained file per format: an ES module, and a classic script for portals that
// cannot load modules. No globals: the entry only defines the custom elements.
export default defineConfig({
  plugins: [
    svelte({ compilerOptions: { customElement: true, discloseVersion: false }, emitCss: false }),
  ],
  build: {
    target: 'es2020',
    lib: {
      entry: 'src/index.ts',
      formats: ['es', 'iife'],
      name: 'StrataWidgets',
      fileName: (format) => (format === 'es' ? 'strata-widgets.js' : 'strata-widgets.iife.js'),
    },
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    // Vite leaves whitespace in ES library output (to keep it tree-shakeable for bundlers);
    // this file is loaded by browsers as is, so minify it fully.
    rolldownOptions: { output: { minify: true } },
  },
});
