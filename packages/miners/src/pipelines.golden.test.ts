import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, type Loss, type Reducer } from '@emb/core';
import * as losses from '@emb/losses';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { camelParams, distanceFromSpec, minerFromSpec, type Spec, sortPmlTuple, toPmlTuple } from './test-utils/golden-specs.js';

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

// PML class name -> emb factory name in @emb/losses (PML's name with a lower-case first letter).
const factoryName = (pmlClass: string) =>
  ({ NTXentLoss: 'ntxentLoss', SupConLoss: 'supConLoss', FastAPLoss: 'fastAPLoss' })[pmlClass] ??
  pmlClass.charAt(0).toLowerCase() + pmlClass.slice(1);

function reducerFromSpec(spec: Spec | null): Reducer | undefined {
  if (spec === null) return undefined;
  const make = (losses as unknown as Record<string, (o?: unknown) => Reducer>)[factoryName(spec.class)];
  if (!make) throw new Error(`unknown reducer class ${spec.class}`);
  return make(camelParams(spec.params));
}

function lossFromSpec(spec: Spec, distanceSpec: Spec | null, reducerSpec: Spec | null): Loss {
  const make = (losses as unknown as Record<string, (o?: unknown) => Loss>)[factoryName(spec.class)];
  if (!make) throw new Error(`unknown loss class ${spec.class}`);
  const distance = distanceFromSpec(distanceSpec);
  const reducer = reducerFromSpec(reducerSpec);
  return make({ ...camelParams(spec.params), ...(distance ? { distance } : {}), ...(reducer ? { reducer } : {}) });
}

describe.each(['wasm', 'cpu'] as const)('miner -> loss pipelines reproduce pytorch-metric-learning 2.8.1 on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = tf.memory().numTensors;
    const miner = minerFromSpec(c.miner, c.miner_distance);
    const loss = lossFromSpec(c.loss, c.distance, c.reducer);
    const embeddings = tf.tensor2d(c.inputs.embeddings);
    const labels = c.inputs.labels;
    const mined = miner.mine({ embeddings, labels });
    expect(sortPmlTuple(toPmlTuple(mined))).toEqual(c.expected.indices_tuple);
    const { value, grad } = tf.valueAndGrad((e: tf.Tensor) =>
      loss.compute({ embeddings: e as tf.Tensor2D, labels, indices: mined }),
    )(embeddings);
    // Golden README: 1e-4 relative for float32, loosened to 1e-3 for FastAP and for the
    // large scales of Circle (gamma 80-256) and ArcFace.
    const rtol = ['CircleLoss', 'FastAPLoss', 'ArcFaceLoss'].includes(c.loss.class) ? 1e-3 : 1e-4;
    expect(closeness(value.dataSync(), [c.expected.loss], { rtol, scale: 'max', label: 'loss' })).toBeNull();
    const g = grad.arraySync() as number[][];
    expect(g.flat().every(Number.isFinite)).toBe(true);
    if (!c.flags?.some((f) => f === 'kink' || f === 'normalize_eps')) {
      expect(closeness(g, c.expected.grad_embeddings, { rtol, scale: 'max', label: 'grad' })).toBeNull();
    }
    tf.dispose([embeddings, value, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
