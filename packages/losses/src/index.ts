export { type ArcFaceLossOptions, arcFaceLoss, arcFaceLossOptions } from './arc-face-loss.js';
export { type CircleLossOptions, circleLoss, circleLossOptions } from './circle-loss.js';
export { distanceOption, reducerOption } from './common-options.js';
export { type ContrastiveLossOptions, contrastiveLoss, contrastiveLossOptions } from './contrastive-loss.js';
export { defineLoss, type LossContext, type LossDefinition } from './define-loss.js';
export { type FastAPLossOptions, fastAPLoss, fastAPLossOptions } from './fast-ap-loss.js';
export {
  type GeneralizedLiftedStructureLossOptions,
  generalizedLiftedStructureLoss,
  generalizedLiftedStructureLossOptions,
} from './generalized-lifted-structure-loss.js';
export { type LiftedStructureLossOptions, liftedStructureLoss, liftedStructureLossOptions } from './lifted-structure-loss.js';
export { lossesPlugin } from './losses-plugin.js';
export { type MarginLossOptions, marginLoss, marginLossOptions } from './margin-loss.js';
export { type MultiSimilarityLossOptions, multiSimilarityLoss, multiSimilarityLossOptions } from './multi-similarity-loss.js';
export { type NPairsLossOptions, nPairsLoss, nPairsLossOptions } from './n-pairs-loss.js';
export { type NTXentLossOptions, ntxentLoss, ntxentLossOptions } from './ntxent-loss.js';
export { type ProxyAnchorLossOptions, proxyAnchorLoss, proxyAnchorLossOptions } from './proxy-anchor-loss.js';
export { avgNonZeroReducer } from './reducers/avg-non-zero-reducer.js';
export {
  asChunked,
  type ChunkedReducer,
  defineReducer,
  type ReducerDefinition,
  type ReducerPartial,
} from './reducers/define-reducer.js';
export { divisorReducer } from './reducers/divisor-reducer.js';
export { doNothingReducer } from './reducers/do-nothing-reducer.js';
export { meanReducer } from './reducers/mean-reducer.js';
export { sumReducer } from './reducers/sum-reducer.js';
export { type ThresholdReducerOptions, thresholdReducer } from './reducers/threshold-reducer.js';
export { zeroLoss } from './reducers/zero-loss.js';
export { type SupConLossOptions, supConLoss, supConLossOptions } from './sup-con-loss.js';
export { type TripletMarginLossOptions, tripletMarginLoss, tripletMarginLossOptions } from './triplet-margin-loss.js';
export { allPairs } from './tuples/all-pairs.js';
export { allTripletChunks, allTriplets } from './tuples/all-triplets.js';
export { convertToPairs } from './tuples/convert-to-pairs.js';
export { convertToTriplets } from './tuples/convert-to-triplets.js';
export { gatherFlat } from './tuples/gather-flat.js';
export { genericPairs } from './tuples/generic-pairs.js';
export { type LabelMasks, labelMasks } from './tuples/label-masks.js';
export { type MaskedLogSumExpOptions, maskedLogSumExp } from './tuples/masked-log-sum-exp.js';
export { minerWeights } from './tuples/miner-weights.js';
export { oneHotMask } from './tuples/one-hot-mask.js';
export { type PairMasks, type PairMasksOptions, pairMasks } from './tuples/pair-masks.js';
export { pairWeights } from './tuples/pair-weights.js';
export { type RowLogSumExp, rowLogSumExp } from './tuples/row-log-sum-exp.js';
export { type TripletHingeSum, tripletHingeSum, tripletListHingeSum } from './tuples/triplet-hinge-sum.js';
