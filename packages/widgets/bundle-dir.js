import { fileURLToPath } from 'node:url';

/** The folder holding the built widget files (strata-widgets.js, strata-widgets.iife.js). */
export const bundleDir = fileURLToPath(new URL('./dist', import.meta.url));
