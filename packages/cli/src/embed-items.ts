import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Embeds `items` (a flat Float32Array of `count` items of `itemShape`) with the model in
 * inference mode, `batchSize` at a time, returning a flat `Float32Array` of `count x dim`.
 * Tensors live only inside each chunk.
 */
export function embedItems(
  model: tfl.LayersModel,
  items: Float32Array,
  itemShape: readonly number[],
  options: { readonly batchSize?: number; readonly normalize?: boolean } = {},
): { vectors: Float32Array; dim: number; count: number } {
  const per = itemShape.reduce((a, b) => a * b, 1);
  const count = items.length / per;
  const batchSize = options.batchSize ?? 256;
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const out = tf.tidy(() => {
      const x = tf.tensor(items.subarray(start * per, (start + n) * per), [n, ...itemShape]);
      let e = model.apply(x, { training: false }) as tf.Tensor2D;
      if (options.normalize) e = tf.div(e, tf.maximum(tf.norm(e, 'euclidean', 1, true), 1e-12));
      return e;
    });
    dim = out.shape[1];
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const vectors = new Float32Array(count * dim);
  let offset = 0;
  for (const p of parts) {
    vectors.set(p, offset);
    offset += p.length;
  }
  return { vectors, dim, count };
}
