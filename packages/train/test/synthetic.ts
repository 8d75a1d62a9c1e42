// Small synthetic problems for the training tests: Gaussian classes whose identity lives in a
// few "signal" dimensions, hidden among noisier nuisance dimensions. A random projection
// retrieves poorly; training learns to keep the signal, which carries over to classes it
// never saw (the held-out classes share the signal subspace).
import { createRng, type Rng } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import type { VariablesModel } from '../src/trainable-model.js';

export interface Synthetic<T extends tf.Tensor = tf.Tensor2D> {
  x: T;
  labels: Int32Array;
}

export const INPUT_DIM = 16;
const SIGNAL_DIM = 4;

function classMeans(numClasses: number, rng: Rng): Float32Array[] {
  return Array.from({ length: numClasses }, () => Float32Array.from({ length: SIGNAL_DIM }, () => rng.normal() * 2.5));
}

/** `perClass` rows of each class in `classes`, from a problem fixed by `problemSeed`. */
export function syntheticClasses(classes: readonly number[], perClass: number, sampleSeed: number, problemSeed = 7): Synthetic {
  const means = classMeans(20, createRng(problemSeed));
  const rng = createRng(sampleSeed);
  const n = classes.length * perClass;
  const data = new Float32Array(n * INPUT_DIM);
  const labels = new Int32Array(n);
  let row = 0;
  for (const c of classes) {
    for (let k = 0; k < perClass; k++, row++) {
      labels[row] = c;
      const mean = means[c] as Float32Array;
      for (let d = 0; d < INPUT_DIM; d++) {
        data[row * INPUT_DIM + d] = d < SIGNAL_DIM ? (mean[d] as number) + rng.normal() * 0.6 : rng.normal() * 3;
      }
    }
  }
  return { x: tf.tensor2d(data, [n, INPUT_DIM]), labels };
}

/** A seeded two-layer MLP `INPUT_DIM -> hidden -> out` as a {@link VariablesModel}. */
export function tinyModel(seed: number, out = 8, hidden = 32, input = INPUT_DIM): VariablesModel & { dispose(): void } {
  const rng = createRng(seed);
  const init = (rows: number, cols: number) =>
    tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: rows * cols }, () => (rng.normal() * Math.sqrt(2 / rows)) as number),
        [rows, cols],
      ),
    );
  const w1 = init(input, hidden);
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = init(hidden, out);
  return {
    apply: (x) =>
      tf.tidy(() => {
        const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [x.shape[0] as number, -1]) as tf.Tensor2D);
        return tf.matMul(tf.relu(tf.add(tf.matMul(flat, w1), b1)), w2);
      }),
    trainableVariables: [w1, b1, w2],
    dispose: () => tf.dispose([w1, b1, w2]),
  };
}

/**
 * Tiny images [N, 8, 8, 1]: each class is a fixed random pattern; each image adds a random
 * brightness offset (a nuisance much larger than the pixel noise) and is shifted by up to one
 * pixel. Untrained embeddings are dominated by the brightness; augmentations that change it
 * teach invariance.
 */
export function syntheticImages(
  classes: readonly number[],
  perClass: number,
  sampleSeed: number,
  problemSeed = 9,
): Synthetic<tf.Tensor4D> {
  const side = 8;
  const patternRng = createRng(problemSeed);
  const patterns = Array.from({ length: 20 }, () =>
    Float32Array.from({ length: side * side }, () => (patternRng.next() < 0.3 ? 1 : 0)),
  );
  const rng = createRng(sampleSeed);
  const n = classes.length * perClass;
  const data = new Float32Array(n * side * side);
  const labels = new Int32Array(n);
  let row = 0;
  for (const c of classes) {
    for (let k = 0; k < perClass; k++, row++) {
      labels[row] = c;
      const p = patterns[c] as Float32Array;
      const offset = rng.normal() * 1.5;
      const dy = rng.int(3) - 1;
      const dx = rng.int(3) - 1;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const sy = Math.min(side - 1, Math.max(0, y + dy));
          const sx = Math.min(side - 1, Math.max(0, x + dx));
          data[row * side * side + y * side + x] = (p[sy * side + sx] as number) + offset + rng.normal() * 0.1;
        }
      }
    }
  }
  return { x: tf.tensor4d(data, [n, side, side, 1]), labels };
}

/** Random (anchor, positive, negative) triplets from labels (the trainer never sees the labels). */
export function tripletsFromLabels(labels: Int32Array, count: number, seed: number) {
  const rng = createRng(seed);
  const anchors = new Int32Array(count);
  const positives = new Int32Array(count);
  const negatives = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const a = rng.int(labels.length);
    let p = rng.int(labels.length);
    while (p === a || labels[p] !== labels[a]) p = rng.int(labels.length);
    let q = rng.int(labels.length);
    while (labels[q] === labels[a]) q = rng.int(labels.length);
    anchors[t] = a;
    positives[t] = p;
    negatives[t] = q;
  }
  return { anchors, positives, negatives };
}

/** Random pairs judged same (1) or different (0) from labels, half of each. */
export function pairsFromLabels(labels: Int32Array, count: number, seed: number) {
  const rng = createRng(seed);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const same = new Uint8Array(count);
  for (let t = 0; t < count; t++) {
    const i = rng.int(labels.length);
    const wantSame = t % 2 === 0;
    let j = rng.int(labels.length);
    while (j === i || (labels[j] === labels[i]) !== wantSame) j = rng.int(labels.length);
    a[t] = i;
    b[t] = j;
    same[t] = wantSame ? 1 : 0;
  }
  return { a, b, same };
}
