import { type Distance, EmbError, type Loss, parseOptions, quote } from '@emb/core';
import { lpDistance } from '@emb/distance';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { distanceOption, reducerOption } from './common-options.js';
import { defineLoss } from './define-loss.js';
import { meanReducer } from './reducers/mean-reducer.js';
import { gatherFlat } from './tuples/gather-flat.js';
import { labelMasks } from './tuples/label-masks.js';
import { minerWeights } from './tuples/miner-weights.js';

/** Options schema of {@link fastAPLoss} (PML `FastAPLoss`). */
export const fastAPLossOptions = v.strictObject({
  numBins: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10),
  distance: distanceOption,
  reducer: reducerOption,
});

export type FastAPLossOptions = v.InferInput<typeof fastAPLossOptions>;

/** The exponent the matrix is raised to. lpDistance reports power 1 for its fused squared-L2 path; its options hold the real one. */
function matrixPower(distance: Distance): number {
  const p = distance.options.power;
  return typeof p === 'number' ? p : distance.power;
}

/**
 * FastAP (Cakir et al. 2019; PML `FastAPLoss`): `1 - AP` per anchor, with average precision
 * relaxed by histogram binning. Each distance to a positive or negative is spread over the
 * two nearest of `numBins + 1` evenly spaced bin centres on `[0, 2^power]` (triangular
 * kernels), and AP is computed from the cumulative histograms, so it is differentiable.
 * Anchors without positives are left out; a batch where none has positives gives 0.
 *
 * Options (PML defaults): `numBins = 10`, `distance = lpDistance({ power: 2 })` (squared
 * L2 on normalised embeddings, so distances lie in [0, 4]; an L2 `lpDistance` with
 * normalisation is required), `reducer = meanReducer()`.
 *
 * Pairs always come from the labels; an indices tuple from a miner only re-weights the
 * anchors (PML `convert_to_weights`). Memory is O(B^2 numBins).
 *
 * @example
 * const loss = fastAPLoss({ numBins: 10 });
 * const value = loss.compute({ embeddings, labels }); // tf.Scalar
 */
export function fastAPLoss(options: FastAPLossOptions = {}): Loss {
  const o = parseOptions(fastAPLossOptions, options, "loss 'fast-ap'");
  const distance: Distance = o.distance ?? lpDistance({ power: 2 });
  if (distance.name !== 'lp' || distance.options.p !== 2 || !distance.normalizeEmbeddings) {
    // The histogram range [0, 2^power] assumes L2 distances between unit vectors (PML asserts the same).
    throw new EmbError(
      'INVALID_OPTION',
      `loss 'fast-ap' needs lpDistance with p = 2 and normalizeEmbeddings = true, got distance ${quote(distance.name)} with options ${quote(distance.options)}. Use lpDistance({ power: 2 }).`,
      { distance: distance.name },
    );
  }
  const reducer = o.reducer ?? meanReducer();
  const { numBins } = o;
  return defineLoss({
    name: 'fast-ap',
    options: { numBins },
    distance,
    reducer,
    requiresLabels: true,
    acceptsRef: false,
    terms(ctx) {
      const labels = ctx.labels as Int32Array;
      const b = labels.length;
      const { pos, neg } = labelMasks(labels, labels, true);
      const posCount = new Float64Array(b);
      for (let i = 0; i < b; i++) {
        let n = 0;
        for (let j = 0; j < b; j++) n += pos[i * b + j] as number;
        posCount[i] = n;
      }
      const safeRows = Int32Array.from(Array.from({ length: b }, (_, i) => i).filter((i) => (posCount[i] as number) > 0));
      if (safeRows.length === 0) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const edges = numBins + 1;
      const histMax = 2 ** matrixPower(ctx.distance);
      const delta = histMax / numBins;
      const centres = tf.tensor3d(
        Float32Array.from({ length: edges }, (_, k) => (k * histMax) / numBins),
        [edges, 1, 1],
      );
      const mat = ctx.matrix();
      // |d - c| with torch's subgradient convention (0 at 0): x * sign(x), sign having no gradient.
      const offset = tf.sub(tf.expandDims(mat, 0), centres);
      const pulse = tf.relu(tf.sub(1, tf.div(tf.mul(offset, tf.sign(offset)), delta))); // [K, B, B]
      const posT = tf.tensor3d(Float32Array.from(pos), [1, b, b]);
      const negT = tf.tensor3d(Float32Array.from(neg), [1, b, b]);
      const posHist = tf.transpose(tf.sum(tf.mul(pulse, posT), 2)) as tf.Tensor2D; // [B, K]
      const negHist = tf.transpose(tf.sum(tf.mul(pulse, negT), 2)) as tf.Tensor2D;
      // Cumulative sums along the bins as a product with an upper-triangular 0/1 matrix.
      const upper = new Float32Array(edges * edges);
      for (let r = 0; r < edges; r++) for (let c = r; c < edges; c++) upper[r * edges + c] = 1;
      const upperT = tf.tensor2d(upper, [edges, edges]);
      const totalPos = tf.matMul(posHist, upperT);
      const total = tf.matMul(tf.add(posHist, negHist), upperT);
      const product = tf.mul(posHist, totalPos);
      // Bins where the ratio is defined, decided on values; elsewhere the term is 0 with 0 gradient.
      const productValues = product.dataSync();
      const totalValues = total.dataSync();
      const safe = new Float32Array(b * edges);
      let anySafe = false;
      for (let k = 0; k < safe.length; k++) {
        if ((productValues[k] as number) > 0 && (totalValues[k] as number) > 0) {
          safe[k] = 1;
          anySafe = true;
        }
      }
      if (!anySafe) return { loss: { kind: 'already_reduced', losses: tf.scalar(0), indices: null } };
      const safeT = tf.tensor2d(safe, [b, edges]);
      const ratio = tf.div(tf.mul(product, safeT), tf.add(total, tf.sub(1, safeT)));
      const invPos = Float32Array.from(posCount, (n) => (n > 0 ? 1 / n : 0));
      const weights = minerWeights(ctx.indices, b);
      const scale = tf.tensor1d(Float32Array.from(weights));
      const ap = tf.mul(tf.sum(ratio, 1), tf.tensor1d(invPos));
      const all = tf.reshape(tf.mul(tf.sub(1, ap), scale), [b, 1]) as tf.Tensor2D;
      const losses = gatherFlat(all, safeRows, new Int32Array(safeRows.length));
      return { loss: { kind: 'element', losses, indices: [safeRows] } };
    },
  });
}
