import { EmbError, type IndicesTuple, quote, type Rng, type Sampler, toLabels } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { brightness } from '../brightness.js';
import { type Augmentation, composeAugmentations } from '../compose-augmentations.js';
import { gaussianNoise } from '../gaussian-noise.js';
import { horizontalFlip } from '../horizontal-flip.js';
import { randomCrop } from '../random-crop.js';
import type { TrainingData } from '../training-data.js';

/** One training batch, built inside the step's `tf.tidy`. @internal */
export interface Batch {
  readonly x: tf.Tensor;
  readonly labels: Int32Array | null;
  readonly indices: IndicesTuple | null;
}

/** A uniform view of the four kinds of training data. @internal */
export interface DataSource {
  readonly kind: TrainingData['kind'];
  /** Class labels of the rows (labelled data only). */
  readonly labels: Int32Array | null;
  /** The batches of one epoch, as item ids (rows, triplets or pairs). */
  plan(rng: Rng): Int32Array[];
  /** The tensors of one batch (call inside `tf.tidy`). */
  make(items: Int32Array, augmentRng: Rng): Batch;
}

const defaultAugment = (): Augmentation =>
  composeAugmentations([randomCrop({ padding: 4 }), horizontalFlip(), brightness(), gaussianNoise()]);

function toIndexArray(value: unknown, name: string, n: number, length?: number): Int32Array {
  let arr: Int32Array;
  try {
    arr = toLabels(value as Int32Array, { name });
  } catch (cause) {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: data.${name} must be integer row indices, got ${quote(value)}.`,
      { option: `data.${name}` },
      { cause },
    );
  }
  if (length !== undefined && arr.length !== length) {
    throw new EmbError(
      'LABELS_LENGTH',
      `fit: data.${name} has ${arr.length} entries but must have ${length}, one per comparison.`,
      {
        option: `data.${name}`,
      },
    );
  }
  for (let i = 0; i < arr.length; i++) {
    const r = arr[i] as number;
    if (r < 0 || r >= n) {
      throw new EmbError('INVALID_OPTION', `fit: data.${name}[${i}] = ${r} is not a row of data.x (which has ${n} rows).`, {
        option: `data.${name}`,
        index: i,
        value: r,
      });
    }
  }
  return arr;
}

function chunks(n: number, batchSize: number, rng: Rng): Int32Array[] {
  const perm = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) out.push(perm.slice(s, Math.min(n, s + batchSize)));
  return out;
}

function gatherRows(x: tf.Tensor, rows: Int32Array): tf.Tensor {
  return tf.gather(x, tf.tensor1d(rows, 'int32'));
}

/** Rows used by a batch of comparisons, deduplicated, and the map from row to batch position. */
function localRows(...fields: Int32Array[]): { rows: Int32Array; local: Map<number, number> } {
  const local = new Map<number, number>();
  for (const f of fields) for (const r of f) if (!local.has(r)) local.set(r, local.size);
  return { rows: Int32Array.from(local.keys()), local };
}

/** @internal */
export function dataSource(data: TrainingData, batchSize: number, sampler: Sampler | null): DataSource {
  if (data === null || typeof data !== 'object' || !(data.x instanceof tf.Tensor)) {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: 'data' must be { kind: 'labelled' | 'triplets' | 'pairs' | 'views', x: tf.Tensor, ... }, got ${quote(data)}.`,
      { option: 'data' },
    );
  }
  const x = data.x;
  if (x.rank < 2) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `fit: data.x must be [N, ...] with at least 2 dimensions, got shape ${quote(x.shape)}.`,
      {
        option: 'data.x',
      },
    );
  }
  const n = x.shape[0] as number;
  if (n === 0) {
    throw new EmbError(
      'EMPTY_BATCH',
      `fit: data.x has 0 rows (shape ${quote(x.shape)}); pass at least one row of training data.`,
      {
        option: 'data.x',
      },
    );
  }
  if (sampler && data.kind !== 'labelled') {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: a sampler needs class labels, but data.kind is ${quote(data.kind)}; remove 'sampler' (batches are shuffled comparisons or rows).`,
      { option: 'sampler' },
    );
  }
  switch (data.kind) {
    case 'labelled': {
      const labels = toLabels(data.labels, { name: 'data.labels', length: n });
      return {
        kind: 'labelled',
        labels,
        plan: (rng) => (sampler ? sampler.epoch(labels, rng) : chunks(n, batchSize, rng)),
        make: (items) => ({ x: gatherRows(x, items), labels: items.map((i) => labels[i] as number), indices: null }),
      };
    }
    case 'triplets': {
      const anchors = toIndexArray(data.anchors, 'anchors', n);
      const positives = toIndexArray(data.positives, 'positives', n, anchors.length);
      const negatives = toIndexArray(data.negatives, 'negatives', n, anchors.length);
      if (anchors.length === 0) throw new EmbError('EMPTY_BATCH', 'fit: data has no triplets.', { option: 'data.anchors' });
      return {
        kind: 'triplets',
        labels: null,
        plan: (rng) => chunks(anchors.length, batchSize, rng),
        make: (items) => {
          const a = items.map((t) => anchors[t] as number);
          const p = items.map((t) => positives[t] as number);
          const ng = items.map((t) => negatives[t] as number);
          const { rows, local } = localRows(a, p, ng);
          const at = (r: number) => local.get(r) as number;
          return {
            x: gatherRows(x, rows),
            labels: null,
            indices: { kind: 'triplets', anchors: a.map(at), positives: p.map(at), negatives: ng.map(at) },
          };
        },
      };
    }
    case 'pairs': {
      const a = toIndexArray(data.a, 'a', n);
      const b = toIndexArray(data.b, 'b', n, a.length);
      const same = Uint8Array.from(data.same as ArrayLike<number>, (s) => (s ? 1 : 0));
      if (same.length !== a.length) {
        throw new EmbError(
          'LABELS_LENGTH',
          `fit: data.same has ${same.length} entries but must have ${a.length}, one per pair.`,
          {
            option: 'data.same',
          },
        );
      }
      if (a.length === 0) throw new EmbError('EMPTY_BATCH', 'fit: data has no pairs.', { option: 'data.a' });
      return {
        kind: 'pairs',
        labels: null,
        plan: (rng) => chunks(a.length, batchSize, rng),
        make: (items) => {
          const pa = items.map((i) => a[i] as number);
          const pb = items.map((i) => b[i] as number);
          const { rows, local } = localRows(pa, pb);
          const pos: number[] = [];
          const neg: number[] = [];
          items.forEach((i, k) => {
            (same[i] ? pos : neg).push(k);
          });
          const at = (list: number[], field: Int32Array) => Int32Array.from(list, (k) => local.get(field[k] as number) as number);
          return {
            x: gatherRows(x, rows),
            labels: null,
            indices: {
              kind: 'pairs',
              posAnchors: at(pos, pa),
              positives: at(pos, pb),
              negAnchors: at(neg, pa),
              negatives: at(neg, pb),
            },
          };
        },
      };
    }
    case 'views': {
      const augment = data.augment ?? defaultAugment();
      if (typeof augment !== 'function') {
        throw new EmbError('INVALID_OPTION', `fit: data.augment must be a function (x, rng) => tensor, got ${quote(augment)}.`, {
          option: 'data.augment',
        });
      }
      if (data.augment === undefined && x.rank !== 4) {
        throw new EmbError(
          'INVALID_OPTION',
          `fit: the default augmentations work on images [N, H, W, C], but data.x has shape ${quote(x.shape)}; pass data.augment.`,
          { option: 'data.augment' },
        );
      }
      return {
        kind: 'views',
        labels: null,
        plan: (rng) => chunks(n, batchSize, rng),
        make: (items, augmentRng) => {
          const rows = gatherRows(x, items) as tf.Tensor4D;
          const v1 = augment(rows, augmentRng);
          const v2 = augment(rows, augmentRng);
          const b = items.length;
          const labels = new Int32Array(2 * b);
          for (let i = 0; i < b; i++) labels[i] = labels[b + i] = i;
          return { x: tf.concat([v1, v2], 0), labels, indices: null };
        },
      };
    }
    default:
      throw new EmbError(
        'INVALID_OPTION',
        `fit: unknown data.kind ${quote((data as { kind?: unknown }).kind)}; use 'labelled', 'triplets', 'pairs' or 'views'.`,
        { option: 'data.kind' },
      );
  }
}
