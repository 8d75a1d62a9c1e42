// The in-browser demo's model and data: a small CNN (784 -> 128-D embedding) trained with
// @emb/train's fit on MNIST digits 0-4 with a contrastive loss over m-per-class batches, then an
// @emb/index exact index that learns digits 5-9 from a few examples each (enrolment, no retraining).
import { createRng } from '@emb/core';
import { type ExactIndex, exactIndex, knnClassifier } from '@emb/index';
import { contrastiveLoss } from '@emb/losses';
import { mPerClassSampler } from '@emb/miners';
import { fit, type VariablesModel } from '@emb/train';
import * as tf from '@tensorflow/tfjs-core';

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
/** Digits per class in public/data/mnist-digits.bin (docs/scripts/prepare-site.mjs). */
export const PER_CLASS = 120;
export const TRAIN_PER_CLASS = 100;
export const ENROL_PER_CLASS = 5;

export interface Digits {
  readonly x: Float32Array;
  readonly labels: Int32Array;
}

export interface DemoData {
  readonly train: Digits; // 0-4, 100 each
  readonly heldOut: Digits; // 0-4, the other 20 each
  readonly enrol: Digits; // 5-9, 5 each
  readonly test: Digits; // 5-9, the other 115 each
}

function pick(all: Float32Array, digits: number[], from: number, to: number): Digits {
  const n = digits.length * (to - from);
  const x = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  for (const d of digits) {
    for (let i = from; i < to; i++, row++) {
      x.set(all.subarray((d * PER_CLASS + i) * PIXELS, (d * PER_CLASS + i + 1) * PIXELS), row * PIXELS);
      labels[row] = d;
    }
  }
  return { x, labels };
}

export async function loadDigits(url: string): Promise<DemoData> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return splitDigits(new Uint8Array(await response.arrayBuffer()));
}

/** The demo's four sets from the bytes of mnist-digits.bin. */
export function splitDigits(bytes: Uint8Array): DemoData {
  const all = Float32Array.from(bytes, (b) => b / 255);
  const low = [0, 1, 2, 3, 4];
  const high = [5, 6, 7, 8, 9];
  return {
    train: pick(all, low, 0, TRAIN_PER_CLASS),
    heldOut: pick(all, low, TRAIN_PER_CLASS, PER_CLASS),
    enrol: pick(all, high, 0, ENROL_PER_CLASS),
    test: pick(all, high, ENROL_PER_CLASS, PER_CLASS),
  };
}

function glorot(rng: ReturnType<typeof createRng>, shape: number[], fanIn: number): tf.Variable {
  const scale = Math.sqrt(2 / fanIn); // He initialisation for ReLU layers
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.variable(
    tf.tensor(
      Float32Array.from({ length: size }, () => scale * rng.normal()),
      shape,
    ),
  );
}

/** Embedding size of the demo network. */
export const DIM = 128;

/**
 * A small CNN: conv 5x5 16 stride 2 (ReLU) -> conv 3x3 32 stride 2 (ReLU) -> dense DIM.
 * Strided convolutions instead of pooling keep the backward pass to kernels initBackend()
 * makes fast on WASM.
 */
export function createModel(seed = 0): VariablesModel & { dispose(): void } {
  const rng = createRng(seed);
  const k1 = glorot(rng, [5, 5, 1, 16], 25);
  const c1 = tf.variable(tf.zeros([16]));
  const k2 = glorot(rng, [3, 3, 16, 32], 9 * 16);
  const c2 = tf.variable(tf.zeros([32]));
  const w = glorot(rng, [7 * 7 * 32, DIM], 7 * 7 * 32);
  const b = tf.variable(tf.zeros([DIM]));
  const vars = [k1, c1, k2, c2, w, b];
  return {
    apply: (x) => {
      const img = tf.reshape(x, [-1, SIDE, SIDE, 1]) as tf.Tensor4D;
      const h1 = tf.relu(tf.add(tf.conv2d(img, k1 as tf.Tensor4D, 2, 'same'), c1)) as tf.Tensor4D;
      const h2 = tf.relu(tf.add(tf.conv2d(h1, k2 as tf.Tensor4D, 2, 'same'), c2));
      return tf.add(tf.matMul(tf.reshape(h2, [-1, 7 * 7 * 32]) as tf.Tensor2D, w as tf.Tensor2D), b);
    },
    trainableVariables: vars,
    dispose: () => {
      for (const v of vars) v.dispose();
    },
  };
}

export async function train(
  model: VariablesModel,
  data: Digits,
  options: { epochs: number; onStep: (loss: number, step: number, total: number) => void | Promise<void> },
) {
  const x = tf.tensor2d(data.x, [data.labels.length, PIXELS]);
  const batchSize = 50;
  const total = options.epochs * Math.floor(data.labels.length / batchSize);
  try {
    return await fit({
      model,
      data: { kind: 'labelled', x, labels: data.labels },
      // Contrastive loss over every pair of each batch: of the losses tried on this small budget
      // it transferred best to the unseen digits (as in `emb demo`); semi-hard triplets overfit 0-4.
      loss: contrastiveLoss({ posMargin: 0, negMargin: 1 }),
      sampler: mPerClassSampler({ m: 10, batchSize }),
      optimizer: { name: 'adam', options: { learningRate: 2e-3 } },
      batchSize,
      epochs: options.epochs,
      seed: 0,
      callbacks: [
        {
          name: 'demo-progress',
          onBatchEnd: async (_ctx, logs) => {
            await options.onStep(logs.loss, logs.step, total);
            await new Promise((resolve) => setTimeout(resolve, 0)); // let the page repaint
          },
        },
      ],
    });
  } finally {
    x.dispose();
  }
}

export function embed(model: VariablesModel, x: Float32Array): Float32Array {
  return tf.tidy(() => model.apply(tf.tensor2d(x, [x.length / PIXELS, PIXELS])).dataSync() as Float32Array);
}

export function rows(flat: Float32Array, dim: number): number[][] {
  return Array.from({ length: flat.length / dim }, (_, i) => Array.from(flat.subarray(i * dim, (i + 1) * dim)));
}

export async function enrol(index: ExactIndex | null, model: VariablesModel, digits: Digits): Promise<ExactIndex> {
  const ix = index ?? exactIndex({ dim: DIM, distance: 'cosine' });
  await ix.add(rows(embed(model, digits.x), DIM), { labels: Array.from(digits.labels) });
  return ix;
}

export async function classify(index: ExactIndex, model: VariablesModel, x: Float32Array) {
  const clf = knnClassifier(index, { k: 3 });
  return clf.classify(rows(embed(model, x), DIM));
}

/** k-NN accuracy of raw pixels with the same enrolment: the baseline the embedding must beat. */
export async function pixelAccuracy(enrolled: Digits[], queries: Digits): Promise<number> {
  const ix = exactIndex({ dim: PIXELS, distance: 'cosine' });
  for (const d of enrolled) await ix.add(rows(d.x, PIXELS), { labels: Array.from(d.labels) });
  const predictions = await knnClassifier(ix, { k: 3 }).classify(rows(queries.x, PIXELS));
  ix.dispose();
  return predictions.filter((p, i) => p.label === queries.labels[i]).length / predictions.length;
}

export async function accuracy(index: ExactIndex, model: VariablesModel, digits: Digits): Promise<number> {
  const predictions = await classify(index, model, digits.x);
  return predictions.filter((p, i) => p.label === digits.labels[i]).length / predictions.length;
}

/**
 * A drawing (white on black canvas) as an MNIST-like 28 x 28 image: the ink's bounding box
 * scaled into the central 20 x 20 box, grey levels in [0, 1].
 */
export function canvasToDigit(canvas: HTMLCanvasElement): Float32Array | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const { width, height } = canvas;
  const pixels = ctx.getImageData(0, 0, width, height).data;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((pixels[(y * width + x) * 4] ?? 0) > 32) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const size = Math.max(x1 - x0, y1 - y0) + 1;
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  const s = small.getContext('2d');
  if (!s) return null;
  s.fillStyle = '#000';
  s.fillRect(0, 0, SIDE, SIDE);
  const w = ((x1 - x0 + 1) / size) * 20;
  const h = ((y1 - y0 + 1) / size) * 20;
  s.drawImage(canvas, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (SIDE - w) / 2, (SIDE - h) / 2, w, h);
  const data = s.getImageData(0, 0, SIDE, SIDE).data;
  return Float32Array.from({ length: PIXELS }, (_, i) => (data[i * 4] ?? 0) / 255);
}

/** Paints a 28 x 28 digit into a canvas (for thumbnails and the "picked" view). */
export function paintDigit(canvas: HTMLCanvasElement, digit: Float32Array) {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < PIXELS; i++) {
    const v = Math.round((digit[i] ?? 0) * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}
