import { type Distance, type Loss, parseOptions } from '@emb/core';
import { dotProductSimilarity } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { allPairs } from './tuples/all-pairs.js';
import { convertToPairs } from './tuples/convert-to-pairs.js';
import { gatherFlat } from './tuples/gather-flat.js';

/** Options schema of {@link nPairsLoss} (PML `NPairsLoss`). */
export const nPairsLossOptions = v.strictObject({
  distance: distanceOption,
  reducer: reducerOption,
});

export type NPairsLossOptions = v.InferInput<typeof nPairsLossOptions>;

/**
 * N-pair loss (Sohn 2016; PML `NPairsLoss`). One positive pair `(a_k, p_k)` per label:
 * the first pair in the positive-pair list whose anchor has that label (for a labelled
 * batch: the smallest anchor, then its smallest positive), ordered by label. Then a
 * cross entropy over the k x k similarity matrix `s(a_i, p_j)` with target `j = i`:
 * each anchor must be closer to its own positive than to the other labels' positives.
 * For a distance, `s = -d`. Reference embeddings are not supported (as in PML).
 *
 * Options (PML defaults): `distance = dotProductSimilarity()` (which normalises, so it is
 * cosine; pass `dotProductSimilarity({ normalizeEmbeddings: false })` for the paper's raw
 * dot product), `reducer = meanReducer()`.
 *
 * @example
 * const loss = nPairsLoss();
 * const value = loss.compute({ embeddings, labels });
 */
export function nPairsLoss(options: NPairsLossOptions = {}): Loss {
  const o = parseOptions(nPairsLossOptions, options, "loss 'n-pairs'");
  const distance: Distance = o.distance ?? dotProductSimilarity();
  const reducer = o.reducer ?? meanReducer();
  return defineLoss({
    name: 'n-pairs',
    options: {},
    distance,
    reducer,
    requiresLabels: true,
    acceptsRef: false,
    terms(ctx) {
      const labels = ctx.labels as Int32Array;
      const pairs = ctx.indices ? convertToPairs(ctx.indices) : allPairs(labels, labels, true);
      // The first positive pair per anchor label, in ascending label order (PML uses np.unique).
      const firstByLabel = new Map<number, number>();
      for (let i = 0; i < pairs.posAnchors.length; i++) {
        const label = labels[pairs.posAnchors[i] as number] as number;
        if (!firstByLabel.has(label)) firstByLabel.set(label, i);
      }
      const k = firstByLabel.size;
      if (k === 0) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const order = [...firstByLabel.entries()].sort((x, y) => x[0] - y[0]).map(([, i]) => i);
      const anchors = Int32Array.from(order, (i) => pairs.posAnchors[i] as number);
      const positives = Int32Array.from(order, (i) => pairs.positives[i] as number);
      // sim[i][j] = s(anchor i, positive j), read from the batch matrix (k <= #labels).
      const rows = new Int32Array(k * k);
      const cols = new Int32Array(k * k);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          rows[i * k + j] = anchors[i] as number;
          cols[i * k + j] = positives[j] as number;
        }
      }
      const mat = ctx.matrix();
      const raw = tf.reshape(gatherFlat(mat, rows, cols), [k, k]);
      const sim = ctx.distance.isInverted ? raw : tf.neg(raw);
      const target = ctx.distance.isInverted ? gatherFlat(mat, anchors, positives) : tf.neg(gatherFlat(mat, anchors, positives));
      const losses = tf.sub(tf.logSumExp(sim, 1), target) as tf.Tensor1D;
      return { loss: { kind: 'element', losses, indices: [anchors] } };
    },
  });
}
