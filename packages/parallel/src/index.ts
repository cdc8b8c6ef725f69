export { kmeansParallel } from './kmeans.js';
export type { ParallelKMeansOptions } from './kmeans.js';
