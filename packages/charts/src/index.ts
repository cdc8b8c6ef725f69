export { default as Funnel } from './Funnel/Funnel.svelte';
export { layoutFunnel, FUNNEL_METRICS } from './Funnel/layout.js';
export type { FunnelBar, FunnelProps } from './Funnel/types.js';
export { default as MigrationMatrix } from './MigrationMatrix/MigrationMatrix.svelte';
export { shade } from './MigrationMatrix/shade.js';
export type { MigrationMatrixProps } from './MigrationMatrix/types.js';
export { OKABE_ITO, STAGE_COLORS } from './config.js';
export type { ChartConfig } from './config.js';
