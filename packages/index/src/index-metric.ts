import { type Distance, EmbError, quote } from '@emb/core';

/**
 * The metrics an exact index ranks by: `'l2'` (Euclidean distance, smaller is closer),
 * `'cosine'` (cosine similarity, larger is closer) and `'dot'` (raw dot product, larger is closer).
 */
export type IndexMetric = 'l2' | 'cosine' | 'dot';

const METRICS: readonly IndexMetric[] = ['l2', 'cosine', 'dot'];

/**
 * Maps a metric name or an `@emb/distance` object to the index metric it ranks by:
 * `lpDistance({ normalizeEmbeddings: false })` is `'l2'`, `cosineSimilarity()` and
 * `dotProductSimilarity()` (which normalises by default, as in PML) are `'cosine'`,
 * `dotProductSimilarity({ normalizeEmbeddings: false })` is `'dot'`. Anything else
 * (p != 2, `power` != 1, SNR, normalised Lp) throws `INVALID_OPTION` naming the metric to use.
 *
 * @example
 * resolveMetric(lpDistance({ normalizeEmbeddings: false })); // 'l2'
 * resolveMetric('cosine'); // 'cosine'
 */
export function resolveMetric(distance: IndexMetric | Distance): IndexMetric {
  if (typeof distance === 'string') {
    if ((METRICS as readonly string[]).includes(distance)) return distance;
    throw new EmbError(
      'INVALID_OPTION',
      `Unknown index metric ${quote(distance)}; use one of 'l2', 'cosine', 'dot' or a Distance object.`,
      {
        option: 'distance',
        value: distance,
      },
    );
  }
  if (distance === null || typeof distance !== 'object' || typeof distance.name !== 'string') {
    throw new EmbError('INVALID_OPTION', `distance must be 'l2', 'cosine', 'dot' or a Distance object, got ${quote(distance)}.`, {
      option: 'distance',
    });
  }
  const p = distance.options.p ?? 2;
  if (distance.power === 1) {
    if (distance.name === 'lp' && p === 2 && !distance.normalizeEmbeddings) return 'l2';
    if (distance.name === 'cosine') return 'cosine';
    if (distance.name === 'dot-product') return distance.normalizeEmbeddings ? 'cosine' : 'dot';
  }
  const hint =
    distance.name === 'lp' && p === 2 && distance.normalizeEmbeddings
      ? " L2 on normalised vectors ranks exactly like cosine similarity: use 'cosine'."
      : " Use lpDistance({ normalizeEmbeddings: false }) ('l2'), cosineSimilarity() ('cosine') or dotProductSimilarity({ normalizeEmbeddings: false }) ('dot').";
  throw new EmbError(
    'INVALID_OPTION',
    `An exact index cannot rank by distance ${quote(distance.name)} with options ${quote(distance.options)} and power ${quote(distance.power)}.${hint}`,
    { option: 'distance', name: distance.name },
  );
}
