import '@tensorflow/tfjs-backend-cpu';
import { type IndicesTuple, initBackend, isEmbError } from '@emb/core';
import { contrastiveLoss, multiSimilarityLoss, tripletMarginLoss } from '@emb/losses';
import { mPerClassSampler, tripletMarginMiner } from '@emb/miners';
import { expectClose } from '@emb/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import { crossBatchMemory } from './cross-batch-memory.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';

const D = 6;
const batch = (seed: number, labels: number[]) => ({
  e: tf.randomNormal([labels.length, D], 0, 1, 'float32', seed) as tf.Tensor2D,
  y: Int32Array.from(labels),
});

/** Every pair from the batch (rows) to the memory (cols), minus each row's own slot. */
function pairsToMemory(labels: Int32Array, memLabels: Int32Array, slotOf: (i: number) => number): IndicesTuple {
  const pa: number[] = [];
  const p: number[] = [];
  const na: number[] = [];
  const n: number[] = [];
  labels.forEach((l, i) => {
    memLabels.forEach((m, j) => {
      if (l === m && j !== slotOf(i)) {
        pa.push(i);
        p.push(j);
      } else if (l !== m) {
        na.push(i);
        n.push(j);
      }
    });
  });
  return {
    kind: 'pairs',
    posAnchors: Int32Array.from(pa),
    positives: Int32Array.from(p),
    negAnchors: Int32Array.from(na),
    negatives: Int32Array.from(n),
  };
}

describe.each(['wasm', 'cpu'] as const)('crossBatchMemory on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each([
    ['contrastive', () => contrastiveLoss()],
    ['triplet', () => tripletMarginLoss({ margin: 0.3 })],
    ['multi-similarity', () => multiSimilarityLoss()],
  ])(
    'crossBatchMemory(%s) compares each batch with every remembered row except its own copy, and trains the batch only',
    (_name, make) => {
      const cbm = crossBatchMemory({ loss: make(), embeddingSize: D, memorySize: 10 });
      const reference = make();
      const b1 = batch(1, [0, 1, 0, 2]);
      const b2 = batch(2, [1, 1, 2, 0]);
      // First batch: the memory holds only the batch itself.
      const first = cbm.compute({ embeddings: b1.e, labels: b1.y });
      const expected1 = reference.compute({
        embeddings: b1.e,
        labels: b1.y,
        indices: pairsToMemory(b1.y, b1.y, (i) => i),
        refEmbeddings: tf.clone(b1.e),
        refLabels: b1.y,
      });
      expectClose(first.dataSync(), expected1.dataSync(), { rtol: 1e-5 });
      expect(cbm.size).toBe(4);
      // Second batch: memory = [batch 1, batch 2]; gradients flow to batch 2 only.
      const memory = tf.concat([b1.e, b2.e]);
      const memLabels = Int32Array.from([...b1.y, ...b2.y]);
      const constMemory = tf.tensor2d(memory.dataSync(), memory.shape as [number, number]);
      const indices = pairsToMemory(b2.y, memLabels, (i) => 4 + i);
      const expectedGrad = tf.grad((e) =>
        reference.compute({
          embeddings: e as tf.Tensor2D,
          labels: b2.y,
          indices,
          refEmbeddings: constMemory,
          refLabels: memLabels,
        }),
      )(b2.e);
      const expected2 = reference.compute({
        embeddings: b2.e,
        labels: b2.y,
        indices,
        refEmbeddings: constMemory,
        refLabels: memLabels,
      });
      const state = cbm.getState();
      const grad = tf.grad((e) => cbm.compute({ embeddings: e as tf.Tensor2D, labels: b2.y }))(b2.e);
      cbm.setState(state); // replay the same step for the value
      const second = cbm.compute({ embeddings: b2.e, labels: b2.y });
      expectClose(second.dataSync(), expected2.dataSync(), { rtol: 1e-5 });
      expectClose(grad.dataSync(), expectedGrad.dataSync(), { rtol: 1e-4, scale: 'max' });
      expect(cbm.size).toBe(8);
      tf.dispose([first, expected1, memory, constMemory, expectedGrad, expected2, grad, second, b1.e, b2.e]);
    },
  );

  it('crossBatchMemory is a FIFO queue of memorySize rows that wraps around, and its state round-trips', () => {
    const cbm = crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: D, memorySize: 6 });
    const b1 = batch(1, [0, 0, 1, 1]);
    const b2 = batch(2, [2, 2, 3, 3]);
    tf.dispose(cbm.compute({ embeddings: b1.e, labels: b1.y }));
    const before = tf.memory().numTensors;
    tf.dispose(cbm.compute({ embeddings: b2.e, labels: b2.y }));
    expect(tf.memory().numTensors).toBe(before);
    const s = cbm.getState() as { queueIdx: number; hasBeenFilled: boolean; labels: Int32Array; embeddings: Float32Array };
    expect(s.queueIdx).toBe(2);
    expect(s.hasBeenFilled).toBe(true);
    expect(Array.from(s.labels)).toEqual([3, 3, 1, 1, 2, 2]); // batch 2 overwrote slots 4, 5, 0, 1
    expect(Array.from(s.embeddings.subarray(0, D))).toEqual(Array.from(b2.e.dataSync().subarray(2 * D, 3 * D)));
    const other = crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: D, memorySize: 6 });
    other.setState(s);
    const b3 = batch(3, [1, 2, 3, 0]);
    const x = cbm.compute({ embeddings: b3.e, labels: b3.y });
    const y = other.compute({ embeddings: b3.e, labels: b3.y });
    expect(x.dataSync()[0]).toBe(y.dataSync()[0]);
    cbm.reset();
    expect(cbm.size).toBe(0);
    expect(() => other.setState({ ...s, memorySize: 7 })).toThrow(/does not match/);
    tf.dispose([x, y, b1.e, b2.e, b3.e]);
  });

  it('crossBatchMemory with a miner mines the batch against the memory and reports the miner statistics', () => {
    const miner = tripletMarginMiner({ margin: 0.5, typeOfTriplets: 'all' });
    const cbm = crossBatchMemory({ loss: tripletMarginLoss({ margin: 0.5 }), embeddingSize: D, memorySize: 16, miner });
    const b1 = batch(4, [0, 1, 2, 0, 1, 2]);
    const b2 = batch(5, [0, 1, 2, 0, 1, 2]);
    tf.dispose(cbm.compute({ embeddings: b1.e, labels: b1.y }));
    const value = cbm.compute({ embeddings: b2.e, labels: b2.y });
    const memory = tf.concat([b1.e, b2.e]);
    const memLabels = Int32Array.from([...b1.y, ...b2.y]);
    const mined = miner.mine({ embeddings: b2.e, labels: b2.y, refEmbeddings: memory, refLabels: memLabels });
    expect(mined.kind).toBe('triplets');
    const t = mined as Extract<typeof mined, { kind: 'triplets' }>;
    const keep = Array.from(t.anchors.keys()).filter((i) => t.positives[i] !== 6 + (t.anchors[i] as number));
    const pick = (f: Int32Array) => Int32Array.from(keep, (i) => f[i] as number);
    const expected = tripletMarginLoss({ margin: 0.5 }).compute({
      embeddings: b2.e,
      labels: b2.y,
      indices: { kind: 'triplets', anchors: pick(t.anchors), positives: pick(t.positives), negatives: pick(t.negatives) },
      refEmbeddings: memory,
      refLabels: memLabels,
    });
    expectClose(value.dataSync(), expected.dataSync(), { rtol: 1e-5 });
    expect(cbm.lastMinerStats?.numTriplets).toBe(t.anchors.length);
    tf.dispose([value, memory, expected, b1.e, b2.e]);
  });
});

describe('crossBatchMemory in fit', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it.each([
    [
      'triplet + semi-hard miner',
      () =>
        crossBatchMemory({
          loss: tripletMarginLoss({ margin: 0.2 }),
          embeddingSize: 8,
          memorySize: 96,
          miner: tripletMarginMiner({ margin: 0.2, typeOfTriplets: 'semihard' }),
        }),
    ],
    ['contrastive, all pairs', () => crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 8, memorySize: 96 })],
  ])('fit with crossBatchMemory (%s) improves held-out retrieval without leaking tensors', async (_name, make) => {
    const train = syntheticClasses([0, 1, 2, 3, 4, 5, 6, 7], 40, 1);
    const test = syntheticClasses([10, 11, 12, 13, 14], 30, 2);
    const model = tinyModel(3);
    const evaluator = evaluate({ query: test.x, queryLabels: test.labels, atStart: true });
    const counts: number[] = [];
    const result = await fit({
      model,
      data: { kind: 'labelled', x: train.x, labels: train.labels },
      loss: make(),
      sampler: mPerClassSampler({ m: 4, batchSize: 32 }),
      optimizer: { name: 'adam', options: { learningRate: 1e-2 } },
      epochs: 4,
      seed: 2,
      callbacks: [evaluator, { name: 'count', onBatchEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    const [before, after] = [evaluator.results[0], evaluator.results.at(-1)].map(
      (r) => r?.metrics.meanAveragePrecisionAtR as number,
    );
    expect(after).toBeGreaterThan((before as number) + 0.25);
    if (_name.startsWith('triplet')) expect(result.history.epochs[0]?.miner?.numTriplets).toBeGreaterThan(0);
    model.dispose();
    tf.dispose([train.x, test.x]);
  });

  it('crossBatchMemory refuses a wrong embedding size, an oversized batch, and a miner given to fit instead', async () => {
    const cbm = crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 4, memorySize: 3 });
    const e = tf.ones([4, 4]) as tf.Tensor2D;
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (error) {
        return isEmbError(error) ? error.code : String(error);
      }
    };
    expect(code(() => cbm.compute({ embeddings: e, labels: [0, 0, 1, 1] }))).toBe('INVALID_ARGUMENT');
    expect(
      code(() =>
        crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 5 }).compute({ embeddings: e, labels: [0, 0, 1, 1] }),
      ),
    ).toBe('DIMENSION_MISMATCH');
    expect(code(() => crossBatchMemory({ loss: contrastiveLoss() } as never))).toBe('INVALID_OPTION');
    const train = syntheticClasses([0, 1], 4, 1);
    await expect(
      fit({
        model: tinyModel(1),
        data: { kind: 'labelled', x: train.x, labels: train.labels },
        loss: crossBatchMemory({ loss: contrastiveLoss(), embeddingSize: 8 }),
        miner: tripletMarginMiner(),
        epochs: 1,
        seed: 1,
      }),
    ).rejects.toThrow(/give the miner to crossBatchMemory/);
    tf.dispose([e, train.x]);
  });
});
