import type { Rng } from './random.js';
import type { SpecificationVersion } from './specification-version.js';
import type { LabelsLike } from './tensors.js';

/** Decides which dataset rows form each batch of an epoch. */
export interface Sampler {
  readonly specificationVersion: SpecificationVersion;
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The batches of one epoch, as row indices into the dataset. Same labels and rng state, same batches. */
  epoch(labels: LabelsLike, rng: Rng): Int32Array[];
}
