import {
  assertEmbeddings,
  assertSameDim,
  type Distance,
  EmbError,
  type IndicesTuple,
  type Miner,
  type MinerInput,
  type MinerOutput,
  type MinerStats,
  quote,
  specificationVersion,
  toLabels,
} from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { computeMinerStats } from './miner-stats.js';

/**
 * What a miner's selection sees: the [rows, cols] distance matrix read back once as a
 * row-major `Float32Array`, and the labels. Selections are plain typed-array loops over it,
 * so mining allocates O(rows x cols) and never records gradients.
 */
export interface MiningContext {
  /** Row-major [rows, cols] matrix of `distance.pairwise(embeddings, refEmbeddings)`. */
  readonly matrix: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Int32Array;
  /** Labels of the columns (the embeddings' own labels when there is no reference set). */
  readonly refLabels: Int32Array;
  /** `true` when the columns are the embeddings themselves: `(i, i)` is never a pair. */
  readonly isSelf: boolean;
  /** `true` for similarities (bigger is closer). */
  readonly isInverted: boolean;
  /** The embedding dimension. */
  readonly dim: number;
}

/** What a concrete miner supplies to {@link defineMiner}. */
export interface MinerDefinition {
  /** Registry name (kebab-case). */
  readonly name: string;
  readonly outputKind: IndicesTuple['kind'];
  /** The parsed options, kept on the miner for display and serialisation. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly distance: Distance;
  /**
   * Picks the tuple from the read-back matrix. It may attach the tuple's `stats` when it can
   * total them while selecting; otherwise they are computed from the matrix afterwards.
   */
  select(context: MiningContext): IndicesTuple & { readonly stats?: MinerStats };
}

/**
 * The distance matrix, read back once. It is computed inside a `tf.customGrad` forward pass:
 * tfjs does not record the operations of a kernel's forward function on the gradient tape,
 * so mining inside `tf.grad` / `optimizer.minimize` keeps no intermediate tensors alive for a
 * backward pass that would never use them (PML mines under `torch.no_grad()`).
 */
/**
 * Throws `NON_FINITE` for a NaN or infinite value, from a read-back copy: no tf operation is
 * recorded on an active gradient tape (a NaN row would poison every comparison of mining).
 */
function checkFinite(x: tf.Tensor2D, name: string): void {
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      const cols = x.shape[1];
      throw new EmbError(
        'NON_FINITE',
        `${name} contains ${quote(values[i])} at row ${Math.floor(i / cols)}, column ${i % cols}; every value must be finite. Check the network for exploding activations or a bad input.`,
        { name, row: Math.floor(i / cols), flatIndex: i, value: values[i] },
      );
    }
  }
}

function readMatrix(distance: Distance, embeddings: tf.Tensor2D, ref: tf.Tensor2D | undefined): Float32Array {
  const compute = (q: tf.Tensor2D, r?: tf.Tensor2D) => {
    const m = distance.pairwise(q, r);
    return m.dtype === 'float32' ? m : tf.cast(m, 'float32');
  };
  const matrix = tf.tidy(() =>
    ref === undefined
      ? tf.customGrad((q) => ({ value: compute(q as tf.Tensor2D), gradFunc: () => tf.zerosLike(q as tf.Tensor) }))(embeddings)
      : tf.customGrad((q, r) => ({
          value: compute(q as tf.Tensor2D, r as tf.Tensor2D),
          gradFunc: () => [tf.zerosLike(q as tf.Tensor), tf.zerosLike(r as tf.Tensor)],
        }))(embeddings, ref),
  );
  try {
    return matrix.dataSync() as Float32Array;
  } finally {
    matrix.dispose();
  }
}

/**
 * Builds a frozen {@link Miner} from a selection function: input validation, the reference
 * set, the one read-back of the distance matrix and the statistics live here once.
 *
 * @example
 * const closestNegative = defineMiner({
 *   name: 'acme/closest-negative', outputKind: 'pairs', options: {}, distance: lpDistance(),
 *   select: ({ matrix, rows, cols, labels, refLabels }) => { ... return { kind: 'pairs', ... } },
 * });
 */
export function defineMiner(def: MinerDefinition): Miner {
  const miner: Miner = {
    specificationVersion,
    name: def.name,
    options: Object.freeze({ ...def.options }),
    outputKind: def.outputKind,
    mine(input: MinerInput): MinerOutput {
      if (input === null || typeof input !== 'object') {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `miner '${def.name}': mine() expects { embeddings, labels }, got ${quote(input)}.`,
        );
      }
      const { embeddings, refEmbeddings } = input;
      assertEmbeddings(embeddings, { checkFinite: false });
      checkFinite(embeddings, 'embeddings');
      const rows = embeddings.shape[0];
      const labels = toLabels(input.labels, { name: 'labels', length: rows });
      if (refEmbeddings === undefined && input.refLabels !== undefined) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `miner '${def.name}': refLabels was given without refEmbeddings; pass both or neither.`,
        );
      }
      if (refEmbeddings !== undefined && refEmbeddings !== embeddings && input.refLabels === undefined) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `miner '${def.name}': refEmbeddings needs refLabels (one label per reference row).`,
        );
      }
      const isSelf = refEmbeddings === undefined || refEmbeddings === embeddings;
      let refLabels = labels;
      if (!isSelf) {
        assertEmbeddings(refEmbeddings, { name: 'refEmbeddings', checkFinite: false });
        checkFinite(refEmbeddings, 'refEmbeddings');
        assertSameDim(embeddings, refEmbeddings);
        refLabels = toLabels(input.refLabels as NonNullable<MinerInput['refLabels']>, {
          name: 'refLabels',
          length: refEmbeddings.shape[0],
        });
      }
      const cols = isSelf ? rows : (refEmbeddings as tf.Tensor2D).shape[0];
      const matrix = readMatrix(def.distance, embeddings, isSelf ? undefined : refEmbeddings);
      const tuple = def.select({
        matrix,
        rows,
        cols,
        labels,
        refLabels,
        isSelf,
        isInverted: def.distance.isInverted,
        dim: embeddings.shape[1],
      });
      const stats = Object.freeze(tuple.stats ?? computeMinerStats(tuple, matrix, cols));
      return Object.freeze({ ...tuple, stats });
    },
  };
  return Object.freeze(miner);
}
