import {
  assertEmbeddings,
  assertSameDim,
  type Distance,
  EmbError,
  type IndicesTuple,
  type Loss,
  type LossInput,
  type LossTerms,
  type Reducer,
  specificationVersion,
  toIndicesTuple,
  toLabels,
} from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';

/** Everything a loss needs, validated once by {@link defineLoss}. */
export interface LossContext {
  /** [B, D] embeddings. */
  readonly embeddings: tf.Tensor2D;
  /** [R, D] reference embeddings: `embeddings` itself unless `refEmbeddings` was given. */
  readonly ref: tf.Tensor2D;
  /** `true` when the reference set is the batch (pairs `(i, i)` are then excluded). */
  readonly isSelf: boolean;
  readonly labels: Int32Array | null;
  /** Labels of `ref` (`labels` when `isSelf`). */
  readonly refLabels: Int32Array | null;
  /** The explicit tuple, validated, or `null` for "all pairs / triplets the labels allow". */
  readonly indices: IndicesTuple | null;
  readonly distance: Distance;
  readonly reducer: Reducer;
  /** `distance.pairwise(embeddings, ref)` computed once per call. */
  matrix(): tf.Tensor2D;
}

/** What a concrete loss supplies to {@link defineLoss}. */
export interface LossDefinition {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly distance: Distance;
  readonly reducer: Reducer;
  readonly variables?: Readonly<Record<string, tf.Variable>>;
  /** The loss needs class labels even when an indices tuple is given (proxy and classifier losses). */
  readonly requiresLabels?: boolean;
  /** Whether `refEmbeddings` are accepted. Default true. */
  readonly acceptsRef?: boolean;
  /** The un-reduced terms, by sub-loss name. */
  terms(ctx: LossContext): LossTerms;
  /**
   * An optional faster path to the reduced scalar that never materialises every term
   * (for example all triplets of a batch). Return `null` to use `terms` + the reducer.
   */
  reduced?(ctx: LossContext): tf.Scalar | null;
}

function prepare(def: LossDefinition, input: LossInput): LossContext {
  if (input === null || typeof input !== 'object') {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `${def.name}: expected { embeddings, labels?, indices?, refEmbeddings?, refLabels? }, got ${String(input)}.`,
    );
  }
  const { embeddings, refEmbeddings } = input;
  assertEmbeddings(embeddings, { name: 'embeddings' });
  const b = embeddings.shape[0];
  const labels =
    input.labels === undefined || input.labels === null ? null : toLabels(input.labels, { name: 'labels', length: b });
  let ref = embeddings;
  let isSelf = true;
  let refLabels = labels;
  if (refEmbeddings !== undefined && refEmbeddings !== null) {
    if (def.acceptsRef === false) {
      throw new EmbError('INVALID_ARGUMENT', `${def.name} does not take refEmbeddings; pass only embeddings and labels.`);
    }
    assertEmbeddings(refEmbeddings, { name: 'refEmbeddings' });
    assertSameDim(embeddings, refEmbeddings);
    ref = refEmbeddings;
    isSelf = false;
    refLabels =
      input.refLabels === undefined || input.refLabels === null
        ? null
        : toLabels(input.refLabels, { name: 'refLabels', length: refEmbeddings.shape[0] });
  } else if (input.refLabels !== undefined && input.refLabels !== null) {
    throw new EmbError('INVALID_ARGUMENT', `${def.name}: refLabels were given without refEmbeddings; pass both or neither.`);
  }
  const indices = input.indices === undefined || input.indices === null ? null : toIndicesTuple(input.indices, b, ref.shape[0]);
  if (def.requiresLabels && labels === null) {
    throw new EmbError('INVALID_LABELS', `${def.name} needs labels (one class id per embedding).`);
  }
  if (indices === null) {
    if (labels === null) {
      throw new EmbError('INVALID_LABELS', `${def.name} needs labels, or an indices tuple from a miner; got neither.`);
    }
    if (!isSelf && refLabels === null && !def.requiresLabels) {
      throw new EmbError('INVALID_LABELS', `${def.name}: refEmbeddings need refLabels unless an indices tuple is given.`);
    }
  }
  let matrix: tf.Tensor2D | undefined;
  return {
    embeddings,
    ref,
    isSelf,
    labels,
    refLabels,
    indices,
    distance: def.distance,
    reducer: def.reducer,
    matrix() {
      matrix ??= def.distance.pairwise(embeddings, isSelf ? undefined : ref);
      return matrix;
    },
  };
}

/**
 * Builds a frozen {@link Loss} from a definition. Validation, reference-embedding handling,
 * `tf.tidy`, and reduction (each sub-loss by the reducer, then summed, as PML's
 * `MultipleReducers`) live here once, so a loss only says how to compute its terms.
 */
export function defineLoss(def: LossDefinition): Loss {
  const loss: Loss = {
    specificationVersion,
    name: def.name,
    variables: Object.freeze({ ...(def.variables ?? {}) }),
    options: Object.freeze({ ...def.options, distance: def.distance, reducer: def.reducer }),
    compute(input) {
      return tf.tidy(() => {
        const ctx = prepare(def, input);
        const fast = def.reduced?.(ctx);
        if (fast) return fast;
        const terms = def.terms(ctx);
        const parts = Object.values(terms).map((term) => def.reducer.reduce(term, ctx.embeddings));
        return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Scalar;
      });
    },
    terms(input) {
      // Keep the returned tensors alive past the tidy scope: they are the caller's.
      const out: Record<string, LossTerms[string]> = {};
      tf.tidy(() => {
        const terms = def.terms(prepare(def, input));
        for (const [name, term] of Object.entries(terms)) {
          tf.keep(term.losses);
          out[name] = term;
        }
      });
      return Object.freeze(out);
    },
  };
  return Object.freeze(loss);
}
