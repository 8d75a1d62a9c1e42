import type { AccuracyMetric } from '@emb/index';
import { accuracyCalculator, exactIndex, knnClassifier } from '@emb/index';
import type * as tfl from '@tensorflow/tfjs-layers';
import { embedItems } from './embed-items.js';
import type { PreparedData } from './prepare-data.js';

/** Held-out quality of an embedding network. */
export interface EmbeddingQuality {
  /** Retrieval metrics on the held-out queries (self-retrieval, L2-normalised embeddings). */
  readonly retrieval: Readonly<Record<string, number>>;
  /** Share of held-out queries whose k-NN label, through an index of the enrolled examples, is right. */
  readonly knnAccuracy: number;
  /** The queries' normalised embeddings (`count x dim`). */
  readonly queryVectors: Float32Array;
  readonly dim: number;
}

/**
 * Measures an embedding network on held-out classes: precision@1, MAP@R, ... with the
 * accuracy calculator (PML semantics), and k-NN classification of the queries through an
 * exact cosine index of the enrolled examples (nothing retrained).
 */
export async function evaluateEmbedding(
  model: tfl.LayersModel,
  data: PreparedData,
  options: { readonly metrics: readonly AccuracyMetric[]; readonly k: number },
): Promise<EmbeddingQuality> {
  const q = embedItems(model, data.queries.x, data.queries.itemShape, { normalize: true });
  const calculator = accuracyCalculator({ include: options.metrics, k: 'max_bin_count' });
  const rows = Array.from({ length: q.count }, (_, i) => q.vectors.subarray(i * q.dim, (i + 1) * q.dim));
  const out = await calculator.compute({ query: rows, queryLabels: data.queries.labels });
  const retrieval: Record<string, number> = {};
  for (const [key, value] of Object.entries(out)) if (typeof value === 'number') retrieval[key] = value;
  let knnAccuracy = Number.NaN;
  if (data.enrol.size > 0) {
    const e = embedItems(model, data.enrol.x, data.enrol.itemShape, { normalize: true });
    const index = exactIndex({ dim: e.dim, distance: 'cosine' });
    await index.add(e.vectors, { labels: data.enrol.labels });
    const predictions = await knnClassifier(index, { k: Math.min(options.k, data.enrol.size) }).classify(q.vectors);
    knnAccuracy = predictions.filter((p, i) => p.label === data.queries.labels[i]).length / predictions.length;
    index.dispose();
  }
  return { retrieval, knnAccuracy, queryVectors: q.vectors, dim: q.dim };
}
