export { type CosineSimilarityOptions, cosineSimilarity, cosineSimilarityOptions } from './cosine-similarity.js';
export { type DistanceDefinition, defineDistance } from './define-distance.js';
export { distancePlugin } from './distance-plugin.js';
export { type DotProductSimilarityOptions, dotProductSimilarity, dotProductSimilarityOptions } from './dot-product-similarity.js';
export { l2Normalize } from './l2-normalize.js';
export { type LpDistanceOptions, lpDistance, lpDistanceOptions } from './lp-distance.js';
export { safeSqrt } from './safe-sqrt.js';
export { type SnrDistanceOptions, snrDistance, snrDistanceOptions } from './snr-distance.js';
export { euclideanMatrix, squaredEuclidean } from './squared-euclidean.js';
