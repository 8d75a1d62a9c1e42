import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { IndicesTuple } from './indices-tuple.js';
import type { SpecificationVersion } from './specification-version.js';
import type { LabelsLike } from './tensors.js';

/** What a miner looks at. */
export interface MinerInput {
  readonly embeddings: Tensor2D;
  readonly labels: LabelsLike;
  readonly refEmbeddings?: Tensor2D;
  readonly refLabels?: LabelsLike;
}

/** Statistics a trainer can log after mining (NaN where a mean has no members). */
export interface MinerStats {
  readonly numPositivePairs: number;
  readonly numNegativePairs: number;
  readonly numTriplets: number;
  readonly meanPositiveDistance: number;
  readonly meanNegativeDistance: number;
}

/** A mined tuple together with its statistics. */
export type MinerOutput = IndicesTuple & { readonly stats: MinerStats };

/** Selects pairs or triplets from a batch. Runs without gradients. */
export interface Miner {
  readonly specificationVersion: SpecificationVersion;
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The kind of tuple this miner returns. */
  readonly outputKind: IndicesTuple['kind'];
  mine(input: MinerInput): MinerOutput;
}
