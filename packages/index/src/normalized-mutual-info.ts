import type { LabelsLike } from '@emb/core';
import { EmbError, toLabels } from '@emb/core';
import { contingency, entropyOf, mutualInfo } from './mutual-information.js';

/** Reads two labellings of the same items. @internal */
export function readLabellings(labelsTrue: LabelsLike, labelsPred: LabelsLike): [Int32Array, Int32Array] {
  const t = toLabels(labelsTrue, { name: 'labelsTrue' });
  const p = toLabels(labelsPred, { name: 'labelsPred' });
  if (t.length !== p.length) {
    throw new EmbError(
      'LABELS_LENGTH',
      `labelsTrue has ${t.length} entries but labelsPred has ${p.length}; both label the same items.`,
      {
        lengths: [t.length, p.length],
      },
    );
  }
  return [t, p];
}

/**
 * Normalised mutual information between two labellings, as scikit-learn's
 * `normalized_mutual_info_score` with `average_method = 'arithmetic'`:
 * `MI / mean(H(true), H(pred))`, 1 when both put everything in one class (or are empty).
 *
 * @example
 * normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 */
export function normalizedMutualInfo(labelsTrue: LabelsLike, labelsPred: LabelsLike): number {
  const [t, p] = readLabellings(labelsTrue, labelsPred);
  const c = contingency(t, p);
  if (c.a.length === c.b.length && c.a.length <= 1) return 1;
  const mi = mutualInfo(c);
  if (mi === 0) return 0;
  const normalizer = Math.max((entropyOf(c.a) + entropyOf(c.b)) / 2, 2.220446049250313e-16);
  return mi / normalizer;
}
