export {
  type HardClassSampler,
  type HardClassSamplerOptions,
  hardClassSampler,
  hardClassSamplerOptions,
} from './hard-class-sampler.js';
export { hardClassSamplerPlugin, plugin } from './hard-class-sampler-plugin.js';
export { type RefreshCentroidsOptions, refreshCentroids } from './refresh-centroids.js';
