/** The folder holding the built widget files (strata-widgets.js, strata-widgets.iife.js). */
export const bundleDir: string;
