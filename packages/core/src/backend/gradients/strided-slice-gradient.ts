import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of `StridedSlice` (`tf.stridedSlice`), missing in tfjs 4.22.
 *
 * tfjs's own `slice_util.sliceInfo` resolves the masks, negative indices and ellipsis into
 * a dense begin/end/stride per input dimension; the upstream gradient (reshaped to one axis
 * per input dimension, which undoes shrink and new axes) is then placed back: with a pad when
 * every stride is 1 (the common `x[a:b]` case, one cheap kernel), else with `scatterND` at
 * the selected coordinates.
 *
 * @internal
 */
export const stridedSliceGradConfig: tf.GradConfig = {
  kernelName: tf.StridedSlice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const a = attrs as unknown as tf.StridedSliceAttrs;
    const info = tf.slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    const sizes = x.shape.map((_, i) => sliceLength(info.begin[i]!, info.end[i]!, info.strides[i]!));
    return { x: () => placeBack(dy as tf.Tensor, x.shape, info.begin, info.strides, sizes) };
  },
};

/** Number of elements `begin, begin + stride, ...` before `end` (0 for an empty or reversed range). */
function sliceLength(begin: number, end: number, stride: number): number {
  const length = end - begin;
  if (length === 0 || length < 0 !== stride < 0) return 0;
  return Math.ceil(length / stride);
}

function placeBack(dy: tf.Tensor, shape: number[], begin: number[], strides: number[], sizes: number[]): tf.Tensor {
  const count = sizes.reduce((p, s) => p * s, 1);
  if (count === 0) return tf.zeros(shape, 'float32');
  const dense = tf.reshape(dy, sizes);
  if (strides.every((s) => s === 1)) {
    return tf.pad(
      dense,
      shape.map((dim, i) => [begin[i]!, dim - begin[i]! - sizes[i]!] as [number, number]),
    );
  }
  // Coordinates of every selected element, row-major like `dense`.
  const rank = shape.length;
  const coords = new Int32Array(count * rank);
  const counter = new Array<number>(rank).fill(0);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < rank; d++) coords[n * rank + d] = begin[d]! + counter[d]! * strides[d]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d]! < sizes[d]!) break;
      counter[d] = 0;
    }
  }
  return tf.scatterND(tf.tensor2d(coords, [count, rank], 'int32'), tf.reshape(dense, [count]), shape);
}
