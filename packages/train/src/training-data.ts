import type * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from './compose-augmentations.js';

/**
 * Rows with class labels (the usual metric-learning data). Batches come from the `sampler`
 * (e.g. `mPerClassSampler`), or are shuffled chunks of `batchSize` rows without one; the
 * `miner` (if any) picks pairs or triplets inside each batch.
 *
 * @example
 * const data = { kind: 'labelled', x: images, labels: Int32Array.from(y) } as const;
 */
export interface LabelledData {
  readonly kind: 'labelled';
  /** [N, ...] inputs (images [N, H, W, C], or [N, D] features). */
  readonly x: tf.Tensor;
  /** One class id per row of `x`. */
  readonly labels: Int32Array | readonly number[];
}

/**
 * Comparisons only, no class labels: a list of `(anchor, positive, negative)` judgements
 * (clicks, human ratings, ...). Each field holds row indices into `x`. A batch is
 * `batchSize` triplets (shuffled every epoch); the loss gets them as its `indices` tuple.
 *
 * @example
 * const data = { kind: 'triplets', x, anchors: Int32Array.of(0, 4), positives: Int32Array.of(1, 5), negatives: Int32Array.of(7, 2) } as const;
 */
export interface TripletData {
  readonly kind: 'triplets';
  readonly x: tf.Tensor;
  readonly anchors: Int32Array | readonly number[];
  readonly positives: Int32Array | readonly number[];
  readonly negatives: Int32Array | readonly number[];
}

/**
 * Comparisons only, no class labels: pairs `(a[i], b[i])` judged the same (`same[i]` = 1)
 * or different (0). A batch is `batchSize` pairs (shuffled every epoch); the loss gets the
 * positive and negative pairs as its `indices` tuple (contrastive loss is the natural fit).
 *
 * @example
 * const data = { kind: 'pairs', x, a: Int32Array.of(0, 1), b: Int32Array.of(2, 9), same: Uint8Array.of(1, 0) } as const;
 */
export interface PairData {
  readonly kind: 'pairs';
  readonly x: tf.Tensor;
  readonly a: Int32Array | readonly number[];
  readonly b: Int32Array | readonly number[];
  readonly same: Uint8Array | readonly (number | boolean)[];
}

/**
 * Self-supervised (SimCLR): no labels at all. Every row of a batch is augmented twice;
 * the two views of one row form a positive pair and views of different rows are negatives
 * (the loss sees labels `[0..B-1, 0..B-1]`; use `ntxentLoss`). `augment` defaults to
 * `composeAugmentations([randomCrop({ padding: 4 }), horizontalFlip(), brightness(), gaussianNoise()])`
 * for [N, H, W, C] images; pass your own for other inputs.
 *
 * @example
 * const data = { kind: 'views', x: images, augment: composeAugmentations([randomCrop({ padding: 3 }), gaussianNoise({ stddev: 0.1 })]) } as const;
 */
export interface ViewsData {
  readonly kind: 'views';
  readonly x: tf.Tensor;
  readonly augment?: Augmentation;
}

/** What `fit` trains on: labelled rows, triplet or pair comparisons, or unlabelled rows with augmentations. */
export type TrainingData = LabelledData | TripletData | PairData | ViewsData;
