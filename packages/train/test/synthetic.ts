// Small synthetic problems for the training tests: Gaussian classes whose identity lives in a
// few "signal" dimensions, hidden among noisier nuisance dimensions. A random projection
// retrieves poorly; training learns to keep the signal, which carries over to classes it
// never saw (the held-out classes share the signal subspace).
import { createRng, type Rng } from '@emb/core';
import type { VariablesModel } from '@emb/train';
import * as tf from '@tensorflow/tfjs-core';

export interface Synthetic {
  x: tf.Tensor2D;
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
    tf.variable(tf.tensor2d(Float32Array.from({ length: rows * cols }, () => (rng.normal() * Math.sqrt(2 / rows)) as number), [rows, cols]));
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
