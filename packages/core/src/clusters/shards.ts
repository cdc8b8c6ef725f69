// A light entry point for threads that run k-means shards (`@strata/core/shards`): only the
// shard classes, without the rest of the engine (and its dependencies) to load.
export { ElkanShard } from './elkan.js';
export type { ElkanCentres, ElkanShardLike } from './elkan.js';
export { WasmElkanShard } from './elkan-wasm.js';
