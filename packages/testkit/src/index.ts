export {
  type ConformanceBackend,
  type ConformanceCheck,
  ConformanceError,
  check,
  describeChecks,
  type Finding,
  fail,
  runChecks,
  type SuiteOptions,
  useBackend,
} from './conformance-check.js';
export { checkDistance, type DescribeDistanceOptions, describeDistance, distanceChecks } from './describe-distance.js';
export { checkIndex, type DescribeIndexOptions, describeIndex, type IndexFactory, indexChecks } from './describe-index.js';
export { checkLoss, type DescribeLossOptions, describeLoss, lossChecks } from './describe-loss.js';
export { checkMiner, type DescribeMinerOptions, describeMiner, minerChecks } from './describe-miner.js';
export { checkSampler, type DescribeSamplerOptions, describeSampler, samplerChecks } from './describe-sampler.js';
export { type CloseOptions, closeness, expectClose, flatten, type NumericLike } from './expect-close.js';
export { finiteDifferences } from './finite-differences.js';
