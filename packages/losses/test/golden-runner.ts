/**
 * Runs the pytorch-metric-learning golden cases (copied from shared/golden into
 * test/fixtures) of one loss class on wasm and cpu: loss value, gradients with respect to
 * embeddings, reference embeddings and learnable weights, with the golden README's
 * tolerances and flags.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type Distance, initBackend, type Loss, type Reducer } from '@emb/core';
import { cosineSimilarity, dotProductSimilarity, lpDistance } from '@emb/distance';
import { closeness } from '@emb/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { avgNonZeroReducer, divisorReducer, meanReducer, sumReducer, thresholdReducer } from '../src/index.js';

type Spec = { class: string; params: Record<string, unknown> } | null;
type Tuple = number[][] | null;

export interface LossCase {
  name: string;
  flags?: string[];
  loss: { class: string; params: Record<string, unknown> };
  distance: Spec;
  reducer: Spec;
  inputs: {
    embeddings: number[][];
    labels: number[] | null;
    indices_tuple: Tuple;
    ref_emb?: number[][];
    ref_labels?: number[];
    proxies?: number[][];
    W?: number[][];
  };
  expected: {
    loss: number;
    grad_embeddings: number[][];
    grad_ref_emb?: number[][];
    grad_proxies?: number[][];
    grad_W?: number[][];
  };
}

const FILES = ['losses.json', 'losses_indices_tuple.json', 'losses_edge_cases.json'];

export function loadLossCases(className: string): LossCase[] {
  return FILES.flatMap((f) => {
    const data = JSON.parse(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')) as { cases: LossCase[] };
    return data.cases.filter((c) => c.loss.class === className);
  });
}

export function distanceFromSpec(spec: Spec): Distance | undefined {
  if (!spec) return undefined;
  const p = spec.params;
  const o: Record<string, unknown> = {};
  if (p.p !== undefined) o.p = p.p;
  if (p.power !== undefined) o.power = p.power;
  if (p.normalize_embeddings !== undefined) o.normalizeEmbeddings = p.normalize_embeddings;
  switch (spec.class) {
    case 'LpDistance':
      return lpDistance(o);
    case 'CosineSimilarity':
      return cosineSimilarity(o);
    case 'DotProductSimilarity':
      return dotProductSimilarity(o);
    default:
      throw new Error(`unknown distance ${spec.class}`);
  }
}

export function reducerFromSpec(spec: Spec): Reducer | undefined {
  if (!spec) return undefined;
  switch (spec.class) {
    case 'MeanReducer':
      return meanReducer();
    case 'SumReducer':
      return sumReducer();
    case 'AvgNonZeroReducer':
      return avgNonZeroReducer();
    case 'DivisorReducer':
      return divisorReducer();
    case 'ThresholdReducer':
      return thresholdReducer(spec.params as { low?: number; high?: number });
    default:
      throw new Error(`unknown reducer ${spec.class}`);
  }
}

export function tupleFromGolden(t: Tuple) {
  if (!t) return null;
  if (t.length === 3) return { kind: 'triplets' as const, anchors: t[0]!, positives: t[1]!, negatives: t[2]! };
  return { kind: 'pairs' as const, posAnchors: t[0]!, positives: t[1]!, negAnchors: t[2]!, negatives: t[3]! };
}

/** Builds the loss for a case: `make(params, distance, reducer)` with PML params as given (snake_case). */
export type LossMaker = (params: Record<string, unknown>, extra: { distance?: Distance; reducer?: Reducer }) => Loss;

export interface GoldenOptions {
  /** Relative tolerance for the loss (default 1e-4) and gradients (default 1e-4). */
  readonly rtol?: number;
  readonly backends?: readonly ('wasm' | 'cpu')[];
}

export function runLossGolden(className: string, make: LossMaker, options: GoldenOptions = {}): void {
  const cases = loadLossCases(className);
  const rtol = options.rtol ?? 1e-4;
  describe.each([...(options.backends ?? ['wasm', 'cpu'])])(`${className} matches pytorch-metric-learning on %s`, (backend) => {
    beforeAll(async () => {
      await initBackend({ backend, quiet: true });
    });
    it('has golden cases', () => expect(cases.length).toBeGreaterThan(0));
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const extra: { distance?: Distance; reducer?: Reducer } = {};
      const distance = distanceFromSpec(c.distance);
      const reducer = reducerFromSpec(c.reducer);
      if (distance) extra.distance = distance;
      if (reducer) extra.reducer = reducer;
      const loss = make(c.loss.params, extra);
      // tidy frees the temporary tensors; the variables keep the data.
      if (c.inputs.proxies) tf.tidy(() => loss.variables.proxies!.assign(tf.tensor2d(c.inputs.proxies!)));
      if (c.inputs.W) tf.tidy(() => loss.variables.W!.assign(tf.tensor2d(c.inputs.W!)));
      // Counted after the loss exists: its learnable variables are tensors that live as long as it does.
      const before = tf.memory().numTensors;
      const embeddings = tf.tensor2d(c.inputs.embeddings);
      const ref = c.inputs.ref_emb ? tf.tensor2d(c.inputs.ref_emb) : undefined;
      const indices = tupleFromGolden(c.inputs.indices_tuple);
      const input = (e: tf.Tensor2D, r?: tf.Tensor2D) => ({
        embeddings: e,
        labels: c.inputs.labels,
        indices,
        ...(r && { refEmbeddings: r, refLabels: c.inputs.ref_labels! }),
      });
      const varList = Object.values(loss.variables);
      const { value, grads: byVariableName } = varList.length
        ? tf.variableGrads(() => loss.compute(input(embeddings, ref)), varList)
        : { value: loss.compute(input(embeddings, ref)), grads: {} as Record<string, tf.Tensor> };
      // tf.variableGrads keys gradients by tfjs variable name; look them up by the loss's key (proxies, W, beta).
      const grads: Record<string, tf.Tensor> = {};
      for (const [key, variable] of Object.entries(loss.variables)) {
        const g = byVariableName[variable.name];
        if (g) grads[key] = g;
      }
      const gradE = tf.grad((e: tf.Tensor) => loss.compute(input(e as tf.Tensor2D, ref)))(embeddings);
      const gradR = ref ? tf.grad((r: tf.Tensor) => loss.compute(input(embeddings, r as tf.Tensor2D)))(ref) : undefined;
      const flags = c.flags ?? [];
      const exactGrad = !flags.includes('kink') && !flags.includes('normalize_eps');
      expect(closeness(value.dataSync()[0]!, c.expected.loss, { rtol, label: 'loss' })).toBeNull();
      for (const g of [gradE, gradR, ...Object.values(grads)]) {
        if (g) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      }
      if (exactGrad) {
        expect(
          closeness(gradE.arraySync() as number[][], c.expected.grad_embeddings, {
            rtol,
            scale: 'max',
            label: 'grad_embeddings',
          }),
        ).toBeNull();
        if (gradR && c.expected.grad_ref_emb) {
          expect(
            closeness(gradR.arraySync() as number[][], c.expected.grad_ref_emb, { rtol, scale: 'max', label: 'grad_ref_emb' }),
          ).toBeNull();
        }
        if (c.expected.grad_proxies) {
          expect(
            closeness(grads.proxies!.arraySync() as number[][], c.expected.grad_proxies, {
              rtol,
              scale: 'max',
              label: 'grad_proxies',
            }),
          ).toBeNull();
        }
        if (c.expected.grad_W) {
          expect(
            closeness(grads.W!.arraySync() as number[][], c.expected.grad_W, { rtol, scale: 'max', label: 'grad_W' }),
          ).toBeNull();
        }
      }
      tf.dispose([value, gradE, embeddings, ...(ref ? [ref] : []), ...(gradR ? [gradR] : []), ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(loss.variables));
    });
  });
}
