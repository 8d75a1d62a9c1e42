import { EmbError, parseOptions } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { type Augmentation, assertImages } from './compose-augmentations.js';

/** Options schema of {@link randomCrop}. */
export const randomCropOptions = v.strictObject({
  padding: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 4),
  fill: v.optional(v.pipe(v.number(), v.finite()), 0),
});

export type RandomCropOptions = v.InferInput<typeof randomCropOptions>;

/**
 * Random translation (torchvision's `RandomCrop(size, padding)`): pads each image by
 * `padding` pixels of `fill` on every side and cuts a window of the original size at a
 * random offset (uniform in [0, 2 * padding] along each axis, drawn per image from the rng).
 * One `tf.gather` for the whole batch.
 *
 * Options: `padding = 4`, `fill = 0`.
 *
 * @example
 * const augment = randomCrop({ padding: 3 }); // shifts digits by up to 3 pixels
 */
export function randomCrop(options: RandomCropOptions = {}): Augmentation {
  const o = parseOptions(randomCropOptions, options, 'randomCrop');
  const p = o.padding;
  return (x, rng) => {
    assertImages(x, 'randomCrop');
    if (p === 0) return tf.clone(x);
    const [b, h, w, c] = x.shape;
    if (b === 0) throw new EmbError('EMPTY_BATCH', 'randomCrop: the batch is empty.');
    const ph = h + 2 * p;
    const pw = w + 2 * p;
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ],
      o.fill,
    );
    const flat = tf.reshape(padded, [b * ph * pw, c]);
    const index = new Int32Array(b * h * w);
    let k = 0;
    for (let i = 0; i < b; i++) {
      const oy = rng.int(2 * p + 1);
      const ox = rng.int(2 * p + 1);
      const base = i * ph * pw;
      for (let y = 0; y < h; y++) {
        const row = base + (y + oy) * pw + ox;
        for (let xx = 0; xx < w; xx++) index[k++] = row + xx;
      }
    }
    return tf.reshape(tf.gather(flat, tf.tensor1d(index, 'int32')), [b, h, w, c]) as tf.Tensor4D;
  };
}
