import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, type Loss } from '@emb/core';
import { circleLoss, contrastiveLoss, marginLoss, multiSimilarityLoss, ntxentLoss, tripletMarginLoss } from '@emb/losses';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { distanceFromSpec, minerFromSpec, type Spec, sortPmlTuple, toPmlTuple } from './test-utils/golden-specs.js';

interface PipelineCase {
  name: string;
  flags?: string[];
  miner: Spec;
  miner_distance: Spec | null;
  loss: Spec;
  distance: Spec | null;
  reducer: Spec | null;
  inputs: { embeddings: number[][]; labels: number[] };
  expected: { tuple_kind: string; indices_tuple: number[][]; pml_order: number[][]; loss: number; grad_embeddings: number[][] };
}

const golden = JSON.parse(readFileSync(new URL('../test/fixtures/pipelines.json', import.meta.url), 'utf8')) as {
  cases: PipelineCase[];
};

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

function lossFromSpec(spec: Spec, distanceSpec: Spec | null): Loss {
  const p = spec.params;
  const distance = distanceFromSpec(distanceSpec);
  const common = defined({ distance });
  switch (spec.class) {
    case 'TripletMarginLoss':
      return tripletMarginLoss({ ...common, ...defined({ margin: p.margin }) });
    case 'ContrastiveLoss':
      return contrastiveLoss({ ...common, ...defined({ posMargin: p.pos_margin, negMargin: p.neg_margin }) });
    case 'MarginLoss':
      return marginLoss({ ...common, ...defined({ margin: p.margin, beta: p.beta }) });
    case 'MultiSimilarityLoss':
      return multiSimilarityLoss({ ...common, ...defined({ alpha: p.alpha, beta: p.beta, base: p.base }) });
    case 'CircleLoss':
      return circleLoss({ ...common, ...defined({ m: p.m, gamma: p.gamma }) });
    case 'NTXentLoss':
      return ntxentLoss({ ...common, ...defined({ temperature: p.temperature }) });
    default:
      throw new Error(`unknown loss class ${spec.class}`);
  }
}

describe.each(['wasm', 'cpu'] as const)('miner -> loss pipelines reproduce pytorch-metric-learning 2.8.1 on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = tf.memory().numTensors;
    const miner = minerFromSpec(c.miner, c.miner_distance);
    const loss = lossFromSpec(c.loss, c.distance);
    const embeddings = tf.tensor2d(c.inputs.embeddings);
    const labels = c.inputs.labels;
    const mined = miner.mine({ embeddings, labels });
    expect(sortPmlTuple(toPmlTuple(mined))).toEqual(c.expected.indices_tuple);
    const { value, grad } = tf.valueAndGrad((e: tf.Tensor) =>
      loss.compute({ embeddings: e as tf.Tensor2D, labels, indices: mined }),
    )(embeddings);
    // Golden README: 1e-4 relative for float32, loosened to 1e-3 for Circle's large gamma.
    const rtol = c.loss.class === 'CircleLoss' ? 1e-3 : 1e-4;
    expect(closeness(value.dataSync(), [c.expected.loss], { rtol, scale: 'max', label: 'loss' })).toBeNull();
    const g = grad.arraySync() as number[][];
    expect(g.flat().every(Number.isFinite)).toBe(true);
    if (!c.flags?.includes('kink')) {
      expect(closeness(g, c.expected.grad_embeddings, { rtol, scale: 'max', label: 'grad' })).toBeNull();
    }
    tf.dispose([embeddings, value, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
