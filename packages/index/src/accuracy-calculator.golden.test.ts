import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@emb/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccuracyMetric, accuracyCalculator, adjustedMutualInfo, normalizedMutualInfo } from './index.js';

interface AccuracyCase {
  kind: 'accuracy';
  name: string;
  params: { include: string[]; k?: number | 'max_bin_count'; avg_of_avgs?: boolean };
  inputs: {
    query: number[][];
    query_labels: number[];
    reference: number[][] | null;
    reference_labels: number[] | null;
    ref_includes_query: boolean;
  };
  expected: Record<string, number> & { knn_k?: number; knn_indices?: number[][] };
}
interface ClusteringCase {
  kind: 'clustering';
  name: string;
  inputs: { labels_true: number[]; labels_pred: number[] };
  expected: { NMI: number; AMI: number };
}

const golden = JSON.parse(readFileSync(new URL('../test/fixtures/accuracy.json', import.meta.url), 'utf8')) as {
  cases: (AccuracyCase | ClusteringCase)[];
};
const accuracyCases = golden.cases.filter((c): c is AccuracyCase => c.kind === 'accuracy');
const clusteringCases = golden.cases.filter((c): c is ClusteringCase => c.kind === 'clustering');

// PML metric name -> ours.
const NAMES: Record<string, AccuracyMetric> = {
  precision_at_1: 'precisionAt1',
  r_precision: 'rPrecision',
  mean_average_precision_at_r: 'meanAveragePrecisionAtR',
  mean_average_precision: 'meanAveragePrecision',
  mean_reciprocal_rank: 'meanReciprocalRank',
  NMI: 'nmi',
  AMI: 'ami',
};

describe.each(['wasm', 'cpu'] as const)('accuracyCalculator matches pytorch-metric-learning on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it.each(accuracyCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = tf.memory().numTensors;
    const include = c.params.include.map((m) => NAMES[m] as AccuracyMetric);
    const calc = accuracyCalculator({
      include,
      ...(c.params.k !== undefined ? { k: c.params.k } : {}),
      ...(c.params.avg_of_avgs !== undefined ? { avgOfAvgs: c.params.avg_of_avgs } : {}),
    });
    const i = c.inputs;
    const result = await calc.compute({
      query: i.query,
      queryLabels: i.query_labels,
      ...(i.reference ? { reference: i.reference, referenceLabels: i.reference_labels as number[] } : {}),
      refIncludesQuery: i.ref_includes_query,
    });
    for (const m of c.params.include) {
      expect(result[NAMES[m] as AccuracyMetric], m).toBeCloseTo(c.expected[m] as number, 6);
      expect(Math.abs((result[NAMES[m] as AccuracyMetric] as number) - (c.expected[m] as number))).toBeLessThanOrEqual(1e-6);
    }
    if (c.expected.knn_indices) {
      expect(result.knn?.k).toBe(c.expected.knn_k);
      const k = result.knn!.k;
      const rows = c.expected.knn_indices.map((_, r) => Array.from(result.knn!.indices.subarray(r * k, (r + 1) * k)));
      expect(rows).toEqual(c.expected.knn_indices);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('normalizedMutualInfo and adjustedMutualInfo match scikit-learn', () => {
  it.each(clusteringCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(Math.abs(normalizedMutualInfo(c.inputs.labels_true, c.inputs.labels_pred) - c.expected.NMI)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(adjustedMutualInfo(c.inputs.labels_true, c.inputs.labels_pred) - c.expected.AMI)).toBeLessThanOrEqual(1e-9);
  });
});
