import {
  assertEmbeddings,
  EmbError,
  type IndicesTuple,
  type Loss,
  type LossInput,
  type LossTerms,
  type Miner,
  type MinerStats,
  parseOptions,
  quote,
  specificationVersion,
  toIndicesTuple,
  toLabels,
} from '@emb/core';
import { allPairs, convertToPairs, convertToTriplets } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import type { SnapshotValue } from './training-snapshot.js';

const isLoss = (x: unknown): x is Loss => x !== null && typeof x === 'object' && typeof (x as Loss).compute === 'function';
const isMiner = (x: unknown): x is Miner => x !== null && typeof x === 'object' && typeof (x as Miner).mine === 'function';

/** Options schema of {@link crossBatchMemory} (PML `CrossBatchMemory`). */
export const crossBatchMemoryOptions = v.strictObject({
  loss: v.custom<Loss>(isLoss, 'Expected a pair or triplet loss (an object with compute())'),
  embeddingSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
  memorySize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1024),
  miner: v.optional(v.nullable(v.custom<Miner>(isMiner, 'Expected a miner (an object with mine())')), null),
});

export type CrossBatchMemoryOptions = v.InferInput<typeof crossBatchMemoryOptions>;

/** A {@link Loss} that also remembers embeddings across batches. */
export interface CrossBatchMemory extends Loss {
  readonly memorySize: number;
  readonly embeddingSize: number;
  /** Rows currently in memory (grows to `memorySize`). */
  readonly size: number;
  /** The miner's statistics of the last `compute`, when a miner is set. */
  readonly lastMinerStats: MinerStats | undefined;
  /** Empties the memory. */
  reset(): void;
  /** The queue (embeddings, labels, write position), for checkpoints. */
  getState(): SnapshotValue;
  setState(state: SnapshotValue): void;
}

function removeSelfComparisons(tuple: IndicesTuple, slotOf: Int32Array): IndicesTuple {
  // PML's remove_self_comparisons: drop positive pairs / triplets whose positive is the
  // memory slot the anchor itself was just written to.
  const [a, p] = tuple.kind === 'triplets' ? [tuple.anchors, tuple.positives] : [tuple.posAnchors, tuple.positives];
  const keep: number[] = [];
  for (let i = 0; i < a.length; i++) if (slotOf[a[i] as number] !== p[i]) keep.push(i);
  if (keep.length === a.length) return tuple;
  const pick = (f: Int32Array) => Int32Array.from(keep, (i) => f[i] as number);
  return tuple.kind === 'triplets'
    ? { kind: 'triplets', anchors: pick(tuple.anchors), positives: pick(tuple.positives), negatives: pick(tuple.negatives) }
    : {
        kind: 'pairs',
        posAnchors: pick(tuple.posAnchors),
        positives: pick(tuple.positives),
        negAnchors: tuple.negAnchors,
        negatives: tuple.negatives,
      };
}

function concatTuples(first: IndicesTuple, second: IndicesTuple): IndicesTuple {
  const cat = (x: Int32Array, y: Int32Array) => {
    const out = new Int32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  if (first.kind === 'triplets') {
    const t = convertToTriplets(second);
    return {
      kind: 'triplets',
      anchors: cat(first.anchors, t.anchors),
      positives: cat(first.positives, t.positives),
      negatives: cat(first.negatives, t.negatives),
    };
  }
  const p = convertToPairs(second);
  return {
    kind: 'pairs',
    posAnchors: cat(first.posAnchors, p.posAnchors),
    positives: cat(first.positives, p.positives),
    negAnchors: cat(first.negAnchors, p.negAnchors),
    negatives: cat(first.negatives, p.negatives),
  };
}

/**
 * Cross-batch memory (Wang et al. 2020; PML `CrossBatchMemory`): wraps any pair or triplet
 * loss so that each batch is compared with the embeddings of up to `memorySize` recent rows
 * (earlier batches included), not only with itself. A FIFO queue keeps detached copies of
 * past embeddings and their labels; every `compute` first enqueues the batch, then computes
 * `loss` from the batch (anchors) to the queue (`refEmbeddings`, `refLabels`), on the pairs
 * or triplets the `miner` selects against the queue (or every pair, as PML, when there is no
 * miner), without pairing a row with its own copy. Gradients reach the batch only; the
 * memory is constant.
 *
 * An `indices` tuple passed to `compute` (indices into the batch) is added to the mined one,
 * as PML does. Not for proxy or classifier losses. `compute` has a side effect (the enqueue),
 * so call it once per training step; checkpoints save the queue (`getState`).
 *
 * Options (PML 2.8.1): `loss` (required), `embeddingSize` (required), `memorySize = 1024`,
 * `miner = null`.
 *
 * @example
 * const loss = crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 128, memorySize: 4096, miner: multiSimilarityMiner() });
 * await fit({ model, loss, data, epochs: 5, seed: 1 });
 */
export function crossBatchMemory(options: CrossBatchMemoryOptions): CrossBatchMemory {
  const o = parseOptions(crossBatchMemoryOptions, options, "loss 'cross-batch-memory'");
  const { loss, embeddingSize: dim, memorySize, miner } = o;
  let memory = new Float32Array(memorySize * dim);
  let labelMemory = new Int32Array(memorySize);
  let queueIdx = 0;
  let hasBeenFilled = false;
  let lastMinerStats: MinerStats | undefined;

  const prepare = (input: LossInput) => {
    if (input === null || typeof input !== 'object') {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `cross-batch-memory: expected { embeddings, labels, indices? }, got ${quote(input)}.`,
      );
    }
    if (input.refEmbeddings !== undefined || input.refLabels !== undefined) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        'cross-batch-memory: refEmbeddings come from the memory; do not pass refEmbeddings or refLabels.',
      );
    }
    const { embeddings } = input;
    assertEmbeddings(embeddings, { name: 'embeddings' });
    const [b, d] = embeddings.shape;
    if (d !== dim) {
      throw new EmbError(
        'DIMENSION_MISMATCH',
        `cross-batch-memory: embeddings have ${d} dimensions but embeddingSize is ${dim}; set embeddingSize to the model's output size.`,
        { expected: dim, actual: d },
      );
    }
    if (b > memorySize) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `cross-batch-memory: a batch of ${b} rows does not fit in memorySize ${memorySize}; use memorySize >= the batch size.`,
        { batchSize: b, memorySize },
      );
    }
    if (input.labels === undefined || input.labels === null) {
      throw new EmbError(
        'INVALID_LABELS',
        'cross-batch-memory needs labels (one class id per embedding) to compare with the memory.',
      );
    }
    const labels = toLabels(input.labels, { name: 'labels', length: b });
    const inputTuple = input.indices ? toIndicesTuple(input.indices, b, b) : null;

    // Enqueue first (PML adds the batch before computing the loss).
    const values = embeddings.dataSync() as Float32Array;
    const slotOf = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      const slot = (queueIdx + i) % memorySize;
      slotOf[i] = slot;
      memory.set(values.subarray(i * dim, (i + 1) * dim), slot * dim);
      labelMemory[slot] = labels[i] as number;
    }
    const previous = queueIdx;
    queueIdx = (queueIdx + b) % memorySize;
    if (!hasBeenFilled && queueIdx <= previous) hasBeenFilled = true;
    const size = hasBeenFilled ? memorySize : queueIdx;
    const refLabels = labelMemory.slice(0, size);
    const refEmbeddings = tf.tensor2d(memory.subarray(0, size * dim), [size, dim]);

    let tuple: IndicesTuple;
    if (miner) {
      const mined = miner.mine({ embeddings, labels, refEmbeddings, refLabels });
      lastMinerStats = mined.stats;
      tuple = mined;
    } else {
      lastMinerStats = undefined;
      tuple = allPairs(labels, refLabels, false);
    }
    tuple = removeSelfComparisons(tuple, slotOf);
    if (inputTuple) {
      // The caller's tuple indexes the batch; its rows now live at their memory slots.
      const toSlots = (f: Int32Array) => f.map((r) => slotOf[r] as number);
      const mapped: IndicesTuple =
        inputTuple.kind === 'triplets'
          ? { ...inputTuple, positives: toSlots(inputTuple.positives), negatives: toSlots(inputTuple.negatives) }
          : { ...inputTuple, positives: toSlots(inputTuple.positives), negatives: toSlots(inputTuple.negatives) };
      tuple = concatTuples(tuple, mapped);
    }
    return { embeddings, labels, indices: tuple, refEmbeddings, refLabels };
  };

  const cbm: CrossBatchMemory = {
    specificationVersion,
    name: 'cross-batch-memory',
    variables: loss.variables,
    options: Object.freeze({ loss, embeddingSize: dim, memorySize, miner }),
    memorySize,
    embeddingSize: dim,
    get size() {
      return hasBeenFilled ? memorySize : queueIdx;
    },
    get lastMinerStats() {
      return lastMinerStats;
    },
    compute(input) {
      return tf.tidy(() => loss.compute(prepare(input)));
    },
    terms(input): LossTerms {
      // prepare() allocates only the memory tensor; the terms are the caller's to dispose.
      const prepared = prepare(input);
      try {
        return loss.terms(prepared);
      } finally {
        prepared.refEmbeddings.dispose();
      }
    },
    reset() {
      memory.fill(0);
      labelMemory.fill(0);
      queueIdx = 0;
      hasBeenFilled = false;
      lastMinerStats = undefined;
    },
    getState() {
      return {
        embeddingSize: dim,
        memorySize,
        queueIdx,
        hasBeenFilled,
        embeddings: memory.slice(),
        labels: labelMemory.slice(),
      };
    },
    setState(state) {
      const s = state as {
        embeddingSize?: unknown;
        memorySize?: unknown;
        queueIdx?: unknown;
        hasBeenFilled?: unknown;
        embeddings?: unknown;
        labels?: unknown;
      } | null;
      if (
        s === null ||
        typeof s !== 'object' ||
        s.embeddingSize !== dim ||
        s.memorySize !== memorySize ||
        !(s.embeddings instanceof Float32Array) ||
        s.embeddings.length !== memorySize * dim ||
        !(s.labels instanceof Int32Array) ||
        s.labels.length !== memorySize ||
        typeof s.queueIdx !== 'number' ||
        typeof s.hasBeenFilled !== 'boolean'
      ) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `cross-batch-memory: the saved state does not match this memory (embeddingSize ${dim}, memorySize ${memorySize}); got ${quote({ embeddingSize: s?.embeddingSize, memorySize: s?.memorySize })}.`,
        );
      }
      memory = s.embeddings.slice();
      labelMemory = s.labels.slice();
      queueIdx = s.queueIdx;
      hasBeenFilled = s.hasBeenFilled;
    },
  };
  return Object.freeze(cbm);
}
