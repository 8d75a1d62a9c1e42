import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type Distance, initBackend } from '@emb/core';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity, dotProductSimilarity, lpDistance } from './index.js';

interface DistanceCase {
  name: string;
  flags?: string[];
  distance: { class: string; params: Record<string, unknown> };
  inputs: { query: number[][]; ref: number[][] | null; upstream_grad: number[][] };
  expected: { matrix: number[][]; grad_query: number[][]; grad_ref: number[][] | null };
}

const golden = JSON.parse(readFileSync(new URL('../test/fixtures/distances.json', import.meta.url), 'utf8')) as {
  cases: DistanceCase[];
};

function fromSpec(spec: DistanceCase['distance']): Distance {
  const p = spec.params;
  const normalizeEmbeddings = p.normalize_embeddings as boolean | undefined;
  const opts = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  switch (spec.class) {
    case 'LpDistance':
      return lpDistance(opts({ p: p.p, power: p.power, normalizeEmbeddings }));
    case 'CosineSimilarity':
      return cosineSimilarity(opts({ power: p.power }));
    case 'DotProductSimilarity':
      return dotProductSimilarity(opts({ power: p.power, normalizeEmbeddings }));
    default:
      throw new Error(`unknown distance class ${spec.class}`);
  }
}

describe.each(['wasm', 'cpu'] as const)('distances match pytorch-metric-learning on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const distance = fromSpec(c.distance);
    const query = tf.tensor2d(c.inputs.query);
    const ref = c.inputs.ref ? tf.tensor2d(c.inputs.ref) : undefined;
    const upstream = tf.tensor2d(c.inputs.upstream_grad);
    const f = (q: tf.Tensor2D, r?: tf.Tensor2D) => tf.sum(tf.mul(distance.pairwise(q, r), upstream));
    const matrix = distance.pairwise(query, ref);
    const kink = c.flags?.includes('kink') || c.flags?.includes('normalize_eps');
    const mmCdist = c.flags?.includes('mm_cdist');
    // Loss tolerance from the golden README; mm_cdist cases: PML's own diagonal is ~1e-8, not 0.
    expect(
      closeness(matrix.arraySync(), c.expected.matrix, { rtol: mmCdist ? 1e-3 : 1e-4, scale: 'max', label: 'matrix' }),
    ).toBeNull();
    const grads = ref
      ? tf.grads((q: tf.Tensor, r: tf.Tensor) => f(q as tf.Tensor2D, r as tf.Tensor2D))([query, ref])
      : [tf.grad((q: tf.Tensor) => f(q as tf.Tensor2D))(query)];
    for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    if (!kink) {
      expect(
        closeness(grads[0]!.arraySync() as number[][], c.expected.grad_query, { rtol: 1e-4, scale: 'max', label: 'grad_query' }),
      ).toBeNull();
      if (ref) {
        expect(
          closeness(grads[1]!.arraySync() as number[][], c.expected.grad_ref!, { rtol: 1e-4, scale: 'max', label: 'grad_ref' }),
        ).toBeNull();
      }
    }
    tf.dispose([query, upstream, matrix, ...grads, ...(ref ? [ref] : [])]);
  });
});
