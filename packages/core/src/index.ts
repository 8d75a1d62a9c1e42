export { type BackendInfo, type InitBackendOptions, initBackend } from './backend/init-backend.js';
export { stopGradient } from './backend/stop-gradient.js';
export type { Distance } from './contract/distance.js';
export type {
  AddOptions,
  Index,
  IndexEntry,
  Neighbours,
  SearchOptions,
  VectorId,
  VectorsLike,
} from './contract/index-contract.js';
export type { IndicesTuple, IndicesTupleLike, PairIndices, TripletIndices } from './contract/indices-tuple.js';
export type { Loss, LossInput, LossTerm, LossTermKind, LossTerms, Reducer } from './contract/loss.js';
export type { Miner, MinerInput, MinerOutput, MinerStats } from './contract/miner.js';
export type { AnyRegistryEntry, Plugin, RegistryEntry, RegistryKind, RegistryKinds } from './contract/plugin.js';
export { defineEntry, definePlugin } from './contract/plugin.js';
export type { Rng, RngState } from './contract/random.js';
export type { Sampler } from './contract/sampler.js';
export {
  type SpecificationVersion,
  specificationVersion,
  supportedSpecificationVersions,
} from './contract/specification-version.js';
export type { StandardSchemaV1 } from './contract/standard-schema.js';
export type { EmbeddingsLike, IndicesLike, LabelsLike } from './contract/tensors.js';
export { EmbError, type EmbErrorCode, isEmbError, quote } from './errors.js';
export { createRng } from './random/create-rng.js';
export {
  type NegativeWeights,
  type RandomTripletIndicesOptions,
  randomTripletIndices,
} from './random/random-triplet-indices.js';
export { registry } from './registry/default-registry.js';
export { createRegistry, type RegisterOptions, type Registry, type RegistryListing } from './registry/registry.js';
export { type AssertEmbeddingsOptions, assertEmbeddings, assertFinite, assertSameDim } from './validate/assert-embeddings.js';
export { isTensor } from './validate/is-tensor.js';
export { parseOptions } from './validate/parse-options.js';
export { toIndicesTuple } from './validate/to-indices-tuple.js';
export { toLabels } from './validate/to-labels.js';
