import { EmbError, type LabelsLike, toLabels } from '@emb/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { HardClassSampler } from './hard-class-sampler.js';

/** Options of {@link refreshCentroids}. */
export interface RefreshCentroidsOptions {
  /** The training inputs the sampler draws rows from. */
  readonly x: tf.Tensor;
  /** Their labels (the ones passed to `fit`). */
  readonly labels: LabelsLike;
  /** Refresh every N epochs. Default 1. */
  readonly every?: number;
}

/** The part of `@emb/train`'s training context this callback uses. */
interface EmbeddingContext {
  readonly epoch: number;
  embed(x: tf.Tensor): tf.Tensor2D;
}

/**
 * A `fit` callback (`@emb/train`) that, at the end of every `every` epochs, embeds the
 * training inputs with the current network and sets the sampler's class centroids to the
 * mean embeddings, so the next epoch groups the classes the network now confuses. Its state
 * (the centroids) is saved in checkpoints, so a resumed run draws the same batches.
 *
 * @example
 * const sampler = hardClassSampler({ m: 4, batchSize: 32 });
 * await fit({ model, loss, sampler, data: { kind: 'labelled', x, labels },
 *   callbacks: [refreshCentroids(sampler, { x, labels })] });
 */
export function refreshCentroids(sampler: HardClassSampler, options: RefreshCentroidsOptions) {
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new EmbError('INVALID_OPTION', `refreshCentroids: every must be a positive integer, got ${every}.`, {
      option: 'every',
    });
  }
  const labels = toLabels(options.labels, { name: 'labels', length: options.x.shape[0] as number });
  return Object.freeze({
    name: 'emb/hard-class:refresh-centroids',
    onEpochEnd(ctx: EmbeddingContext) {
      if ((ctx.epoch + 1) % every !== 0) return;
      const embeddings = ctx.embed(options.x);
      try {
        sampler.updateCentroids(embeddings, labels);
      } finally {
        embeddings.dispose();
      }
    },
    getState(): Record<string, Float32Array> {
      return Object.fromEntries([...sampler.centroids()].map(([label, c]) => [String(label), Float32Array.from(c)]));
    },
    setState(state: unknown) {
      const record = state as Record<string, ArrayLike<number>> | null;
      sampler.setCentroids(
        record === null ? null : Object.fromEntries(Object.entries(record).map(([k, c]) => [k, Array.from(c)])),
      );
    },
  });
}
