export {
  type AccuracyCalculator,
  type AccuracyCalculatorOptions,
  type AccuracyInput,
  type AccuracyMetric,
  type AccuracyResult,
  accuracyCalculator,
  type IndexFactory,
} from './accuracy-calculator.js';
export { adjustedMutualInfo } from './adjusted-mutual-info.js';
export { assertVectorId } from './assert-vector-id.js';
export { calibrateThreshold } from './calibrate-threshold.js';
export { type CheckSearchArgsOptions, checkSearchArgs } from './check-search-args.js';
export { crc32 } from './crc32.js';
export { type ExactIndex, type ExactIndexOptions, exactIndex, exactIndexFromBytes, type StoredEntry } from './exact-index.js';
export type { IndexFileExpectation } from './index-file-format.js';
export { type IndexMetric, resolveMetric } from './index-metric.js';
export { exactIndexOptions, indexPlugin } from './index-plugin.js';
export { type KMeansOptions, type KMeansResult, kMeans } from './k-means.js';
export { type KnnClassifier, type KnnClassifierOptions, type KnnPrediction, knnClassifier } from './knn-classifier.js';
export { normalizedMutualInfo } from './normalized-mutual-info.js';
export { type AddInput, type ReadAddInputOptions, readAddInput } from './read-add-input.js';
export { normalizeRows, toVectorRows, type VectorRows } from './to-vector-rows.js';
export { type OperatingPoint, type VerificationCurve, type VerificationPairs, verificationCurve } from './verification-curve.js';
