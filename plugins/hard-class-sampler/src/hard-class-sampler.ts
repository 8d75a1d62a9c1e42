import {
  EmbError,
  isTensor,
  type LabelsLike,
  parseOptions,
  quote,
  type Rng,
  type Sampler,
  specificationVersion,
  toLabels,
} from '@emb/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const vector = v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1));

/** Options schema of {@link hardClassSampler}. */
export const hardClassSamplerOptions = v.strictObject({
  m: positiveInteger,
  batchSize: v.optional(positiveInteger, 32),
  /** Class centroids by label (`{ "0": [x, y, ...], ... }`); classes without one are grouped at random. */
  centroids: v.optional(v.nullable(v.record(v.pipe(v.string(), v.regex(/^-?\d+$/)), vector)), null),
});

export type HardClassSamplerOptions = v.InferInput<typeof hardClassSamplerOptions>;

/** A {@link Sampler} whose class centroids can be refreshed between epochs. */
export interface HardClassSampler extends Sampler {
  /**
   * Replaces the class centroids by the mean embedding of each class (for example the
   * current network's embeddings of the training set, at the end of an epoch).
   */
  updateCentroids(embeddings: tf.Tensor2D | readonly (readonly number[])[], labels: LabelsLike): void;
  /** The centroids in use, by label (a copy). */
  centroids(): Map<number, Float64Array>;
  /** Replaces the centroids (`{ [label]: number[] }`, as the `centroids` option); `null` clears them. */
  setCentroids(centroids: Readonly<Record<string, readonly number[]>> | null): void;
}

/** Rows of each class, classes in ascending label order. */
function groupRows(labels: Int32Array): Map<number, Int32Array> {
  const lists = new Map<number, number[]>();
  labels.forEach((label, row) => {
    const list = lists.get(label);
    if (list) list.push(row);
    else lists.set(label, [row]);
  });
  const sorted = [...lists.keys()].sort((a, b) => a - b);
  return new Map(sorted.map((label) => [label, Int32Array.from(lists.get(label) as number[])]));
}

/**
 * Cuts a class into blocks of m rows covering each of its rows: a shuffled partition, the
 * last block topped up with other rows of the class (with repetition only when the class
 * has fewer than m rows), as `m-per-class` does.
 */
function classBlocks(members: Int32Array, m: number, rng: Rng): Int32Array[] {
  const perm = rng.shuffle(Int32Array.from(members));
  const blocks: Int32Array[] = [];
  for (let start = 0; start < perm.length; start += m) {
    const block = new Int32Array(m);
    const have = Math.min(m, perm.length - start);
    block.set(perm.subarray(start, start + have));
    for (let k = have; k < m; k++) {
      block[k] = (perm.length >= m ? perm[k - have] : perm[rng.int(perm.length)]) as number;
    }
    blocks.push(block);
  }
  return blocks;
}

/** m rows of a class drawn afresh (a batch filler once the class's own blocks are used). */
function drawBlock(members: Int32Array, m: number, rng: Rng): Int32Array {
  if (members.length >= m) return rng.shuffle(Int32Array.from(members)).slice(0, m);
  return Int32Array.from({ length: m }, () => members[rng.int(members.length)] as number);
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = (a[k] as number) - (b[k] as number);
    s += d * d;
  }
  return s;
}

function toCentroids(record: Readonly<Record<string, readonly number[]>>, owner: string): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  let dim = -1;
  for (const [key, values] of Object.entries(record)) {
    if (dim >= 0 && values.length !== dim) {
      throw new EmbError(
        'INVALID_OPTION',
        `${owner}: centroid of class ${quote(key)} has ${values.length} numbers but the others have ${dim}; every centroid needs the same dimension.`,
        { option: 'centroids', label: key },
      );
    }
    dim = values.length;
    out.set(Number(key), Float64Array.from(values));
  }
  return out;
}

/**
 * A hard-class batch sampler: every batch holds `batchSize / m` classes that lie near each
 * other, m rows of each. Batches of similar classes make the in-batch negatives hard (the
 * classes the network confuses), which batch-hard miners and pair losses learn most from.
 *
 * Nearness is the Euclidean distance between class centroids: given as the `centroids`
 * option, or computed with `sampler.updateCentroids(embeddings, labels)` (the mean embedding
 * of each class, e.g. refreshed every epoch). Classes without a centroid are grouped at
 * random, so without centroids it behaves like an m-per-class sampler.
 *
 * Each epoch, every class is cut into shuffled blocks of m rows (the last topped up from the
 * class), and each batch takes the class with the most blocks left plus its nearest classes
 * that still have blocks, one block each. So every row is used in each epoch; rows repeat
 * only to fill a class smaller than m, or a batch once fewer than `batchSize / m` classes
 * have blocks left (then the nearest used classes give fresh blocks). Seeded: the same labels,
 * centroids and `rng` state give the same batches.
 *
 * Options: `m` (required), `batchSize = 32` (a multiple of m; `emb train` passes its own),
 * `centroids = null` (`{ [label]: number[] }`).
 *
 * @example
 * const sampler = hardClassSampler({ m: 4, batchSize: 32 });
 * sampler.updateCentroids(model.predict(x), labels); // after an epoch
 * for (const rows of sampler.epoch(labels, createRng(epoch))) trainOn(rows);
 */
export function hardClassSampler(options: HardClassSamplerOptions): HardClassSampler {
  const owner = "sampler 'emb/hard-class'";
  const o = parseOptions(hardClassSamplerOptions, options, owner);
  if (o.batchSize % o.m !== 0) {
    throw new EmbError(
      'INVALID_OPTION',
      `${owner}: batchSize ${quote(o.batchSize)} must be a multiple of m ${quote(o.m)}; try batchSize ${Math.max(o.m, Math.round(o.batchSize / o.m) * o.m)}.`,
      { option: 'batchSize' },
    );
  }
  const perBatch = o.batchSize / o.m;
  let centroids = o.centroids === null ? new Map<number, Float64Array>() : toCentroids(o.centroids, owner);

  const sampler: HardClassSampler = {
    specificationVersion,
    name: 'emb/hard-class',
    options: Object.freeze({ m: o.m, batchSize: o.batchSize, centroids: o.centroids }),
    epoch(labelsLike: LabelsLike, rng: Rng): Int32Array[] {
      const labels = toLabels(labelsLike);
      if (labels.length === 0) return [];
      const groups = groupRows(labels);
      const classes = [...groups.keys()];
      const numClasses = classes.length;
      if (perBatch > numClasses) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `${owner}: a batch of ${o.batchSize} rows needs ${perBatch} classes of ${o.m}, but the labels have only ${numClasses} classes. Lower batchSize to at most ${numClasses * o.m} or lower m.`,
          { numClasses, batchSize: o.batchSize, m: o.m },
        );
      }
      // A random key per class breaks ties (equal distances, unknown centroids) differently each epoch.
      const key = classes.map(() => rng.next());
      const blocks = classes.map((c) => classBlocks(groups.get(c) as Int32Array, o.m, rng));
      const known = classes.map((c) => centroids.get(c));
      const distance = (a: number, b: number): number => {
        const ca = known[a];
        const cb = known[b];
        return ca && cb && ca.length === cb.length ? squaredDistance(ca, cb) : Number.POSITIVE_INFINITY;
      };
      const byNearness = (seed: number) => (a: number, b: number) =>
        distance(seed, a) - distance(seed, b) || (key[a] as number) - (key[b] as number);

      const batches: Int32Array[] = [];
      let left = blocks.reduce((n, list) => n + list.length, 0);
      while (left > 0) {
        // The class with the most blocks left seeds the batch: that uses every block in the
        // fewest batches while keeping classes distinct within a batch.
        let seed = -1;
        for (let c = 0; c < numClasses; c++) {
          const n = (blocks[c] as Int32Array[]).length;
          if (n === 0) continue;
          const best = seed < 0 ? -1 : (blocks[seed] as Int32Array[]).length;
          if (n > best || (n === best && (key[c] as number) < (key[seed] as number))) seed = c;
        }
        const others = Array.from({ length: numClasses }, (_, c) => c).filter((c) => c !== seed);
        others.sort(byNearness(seed));
        const withBlocks = others.filter((c) => (blocks[c] as Int32Array[]).length > 0);
        const without = others.filter((c) => (blocks[c] as Int32Array[]).length === 0);
        const picked = [seed, ...withBlocks.slice(0, perBatch - 1)];
        const parts = picked.map((c) => (blocks[c] as Int32Array[]).pop() as Int32Array);
        left -= parts.length;
        // Too few classes with blocks left: the nearest other classes give fresh blocks.
        for (const c of without.slice(0, perBatch - picked.length)) {
          parts.push(drawBlock(groups.get(classes[c] as number) as Int32Array, o.m, rng));
        }
        rng.shuffle(parts);
        const batch = new Int32Array(o.batchSize);
        parts.forEach((part, k) => {
          batch.set(part, k * o.m);
        });
        batches.push(batch);
      }
      return rng.shuffle(batches);
    },
    updateCentroids(embeddings, labelsLike) {
      const rows = isTensor(embeddings)
        ? ((embeddings as tf.Tensor2D).arraySync() as number[][])
        : (embeddings as readonly (readonly number[])[]);
      const labels = toLabels(labelsLike, { name: 'labels', length: rows.length });
      const sums = new Map<number, { sum: Float64Array; count: number }>();
      const dim = rows[0]?.length ?? 0;
      rows.forEach((row, i) => {
        if (row.length !== dim) {
          throw new EmbError(
            'DIMENSION_MISMATCH',
            `${owner}.updateCentroids: row ${i} has ${row.length} numbers, row 0 has ${dim}.`,
          );
        }
        const label = labels[i] as number;
        let s = sums.get(label);
        if (!s) {
          s = { sum: new Float64Array(dim), count: 0 };
          sums.set(label, s);
        }
        for (let k = 0; k < dim; k++) (s.sum as Float64Array)[k] = (s.sum[k] as number) + (row[k] as number);
        s.count++;
      });
      const next = new Map<number, Float64Array>();
      for (const [label, { sum, count }] of sums)
        next.set(
          label,
          sum.map((x) => x / count),
        );
      centroids = next;
    },
    centroids() {
      return new Map([...centroids].map(([label, c]) => [label, Float64Array.from(c)]));
    },
    setCentroids(record) {
      centroids = record === null ? new Map() : toCentroids(record, owner);
    },
  };
  return Object.freeze(sampler);
}
