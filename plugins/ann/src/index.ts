export { annPlugin, hnswIndexOptions } from './ann-plugin.js';
export type { HnswFileExpectation } from './hnsw-file-format.js';
export {
  type HnswIndex,
  type HnswIndexOptions,
  type HnswMetric,
  type HnswQuantization,
  type HnswStoredEntry,
  hnswIndex,
  hnswIndexFromBytes,
} from './hnsw-index.js';
export { loadHnswIndex } from './load-hnsw-index.js';
