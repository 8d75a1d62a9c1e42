import {
  EmbError,
  type LabelsLike,
  parseOptions,
  quote,
  type Rng,
  type Sampler,
  specificationVersion,
  toLabels,
} from '@emb/core';
import * as v from 'valibot';
import { labelGroups } from './internal/label-groups.js';
import { MaxHeap } from './internal/max-heap.js';
import { positiveInteger } from './internal/option-schemas.js';

/** Options schema of {@link mPerClassSampler} (PML `MPerClassSampler`). */
export const mPerClassSamplerOptions = v.strictObject({
  m: positiveInteger,
  batchSize: v.optional(v.nullable(positiveInteger), null),
  lengthBeforeNewIter: v.optional(v.nullable(positiveInteger), null),
});

export type MPerClassSamplerOptions = v.InferInput<typeof mPerClassSamplerOptions>;

/** `count` rows of a class: a random subset when the class has enough, else with replacement. */
function drawBlock(members: Int32Array, count: number, rng: Rng): Int32Array {
  const block = new Int32Array(count);
  if (members.length >= count) {
    const perm = rng.shuffle(Int32Array.from(members));
    block.set(perm.subarray(0, count));
  } else {
    for (let k = 0; k < count; k++) block[k] = members[rng.int(members.length)] as number;
  }
  return block;
}

/**
 * Splits every class into blocks of m rows covering each of its rows: a shuffled partition,
 * the last block topped up with other rows of the same class (with repetition only when the
 * class has fewer than m rows).
 */
function classBlocks(members: Int32Array, m: number, rng: Rng): Int32Array[] {
  const perm = rng.shuffle(Int32Array.from(members));
  const blocks: Int32Array[] = [];
  for (let start = 0; start < perm.length; start += m) {
    const block = new Int32Array(m);
    const have = Math.min(m, perm.length - start);
    block.set(perm.subarray(start, start + have));
    if (have < m) {
      if (perm.length >= m) {
        // Rows from the front of the permutation are distinct from this block's.
        block.set(perm.subarray(0, m - have), have);
      } else {
        for (let k = have; k < m; k++) block[k] = perm[rng.int(perm.length)] as number;
      }
    }
    blocks.push(block);
  }
  return blocks;
}

function onePass(labels: Int32Array, m: number, batchSize: number | null, rng: Rng): Int32Array[] {
  const groups = labelGroups(labels);
  const classes = Array.from(groups.values);
  const perBatch = batchSize === null ? classes.length : batchSize / m;
  const blocks = new Map<number, Int32Array[]>();
  const heap = new MaxHeap<number>();
  for (const c of classes) {
    const list = classBlocks(groups.indicesOf(c), m, rng);
    blocks.set(c, list);
    heap.push(c, list.length, rng.next());
  }
  const batches: Int32Array[] = [];
  // Each batch takes one block from each of the `perBatch` classes with the most blocks left,
  // which uses every block in the fewest batches that keep classes distinct within a batch.
  while (heap.size > 0) {
    const picked: number[] = [];
    while (picked.length < perBatch && heap.size > 0) picked.push(heap.pop() as number);
    const parts: Int32Array[] = [];
    for (const c of picked) {
      const list = blocks.get(c) as Int32Array[];
      parts.push(list.pop() as Int32Array);
      if (list.length > 0) heap.push(c, list.length, rng.next());
    }
    if (picked.length < perBatch) {
      // Too few classes with unused rows left: fill with fresh blocks of other classes.
      const others = rng.shuffle(classes.filter((c) => !picked.includes(c)));
      for (let k = 0; picked.length < perBatch; k++) {
        const c = others[k] as number;
        picked.push(c);
        parts.push(drawBlock(groups.indicesOf(c), m, rng));
      }
    }
    rng.shuffle(parts);
    const batch = new Int32Array(perBatch * m);
    parts.forEach((part, k) => {
      batch.set(part, k * m);
    });
    batches.push(batch);
  }
  return rng.shuffle(batches);
}

/**
 * Batches of `m` rows from each of `batchSize / m` classes (PML `MPerClassSampler`, the
 * P x K sampling of batch-hard training), that unlike PML's:
 *
 * - covers every row of every class in each epoch (PML draws rows at random, with
 *   replacement, so some rows are never seen): each class is cut into shuffled blocks of m
 *   rows, the last block topped up with other rows of the class; rows repeat only to fill a
 *   class smaller than m or to complete the last batches when few classes remain;
 * - returns whole batches (it is a batch sampler): every batch has exactly `batchSize` rows
 *   and `batchSize / m` distinct classes, so no batch is split across m-blocks.
 *
 * Seeded: the same labels and the same `rng` state give the same batches.
 *
 * Options (PML 2.8.1 names): `m` (required), `batchSize = null` (one block of every class per
 * batch), `lengthBeforeNewIter = null` (one pass over the data; a number gives
 * `floor(lengthBeforeNewIter / batchSize)` batches taken from as many passes as needed).
 * `batchSize` must be a multiple of `m`, and there must be at least `batchSize / m` classes.
 *
 * @example
 * const sampler = mPerClassSampler({ m: 4, batchSize: 32 });
 * for (const rows of sampler.epoch(labels, createRng(epoch))) trainOn(rows);
 */
export function mPerClassSampler(options: MPerClassSamplerOptions): Sampler {
  const o = parseOptions(mPerClassSamplerOptions, options, "sampler 'm-per-class'");
  if (o.batchSize !== null && o.batchSize % o.m !== 0) {
    throw new EmbError(
      'INVALID_OPTION',
      `sampler 'm-per-class': batchSize ${quote(o.batchSize)} must be a multiple of m ${quote(o.m)}; try batchSize ${Math.max(o.m, Math.round(o.batchSize / o.m) * o.m)}.`,
      { option: 'batchSize' },
    );
  }
  const sampler: Sampler = {
    specificationVersion,
    name: 'm-per-class',
    options: Object.freeze({ ...o }),
    epoch(labelsLike: LabelsLike, rng: Rng): Int32Array[] {
      const labels = toLabels(labelsLike);
      const numClasses = labelGroups(labels).values.length;
      if (labels.length === 0) return [];
      const perBatch = o.batchSize === null ? numClasses : o.batchSize / o.m;
      if (perBatch > numClasses) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `sampler 'm-per-class': a batch of ${o.batchSize} rows needs ${perBatch} classes of ${o.m}, but the labels have only ${numClasses} classes. Lower batchSize to at most ${numClasses * o.m} or lower m.`,
          { numClasses, batchSize: o.batchSize, m: o.m },
        );
      }
      if (o.lengthBeforeNewIter === null) return onePass(labels, o.m, o.batchSize, rng);
      const numBatches = Math.floor(o.lengthBeforeNewIter / (perBatch * o.m));
      const batches: Int32Array[] = [];
      while (batches.length < numBatches) batches.push(...onePass(labels, o.m, o.batchSize, rng));
      return batches.slice(0, numBatches);
    },
  };
  return Object.freeze(sampler);
}
