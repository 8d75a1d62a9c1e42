import type { LabelsLike } from '@emb/core';
import { contingency, entropyOf, expectedMutualInfo, mutualInfo } from './mutual-information.js';
import { readLabellings } from './normalized-mutual-info.js';

/**
 * Adjusted mutual information, as scikit-learn's `adjusted_mutual_info_score`
 * (`average_method = 'arithmetic'`): `(MI - E[MI]) / (mean(H(true), H(pred)) - E[MI])`, where
 * `E[MI]` is the expected mutual information of random labellings with the same cluster
 * sizes (computed exactly with log-gamma, like sklearn's `expected_mutual_information`).
 * 1 for identical partitions, about 0 for independent ones, possibly negative.
 *
 * @example
 * adjustedMutualInfo([0, 0, 1, 1], [0, 0, 1, 1]); // 1
 */
export function adjustedMutualInfo(labelsTrue: LabelsLike, labelsPred: LabelsLike): number {
  const [t, p] = readLabellings(labelsTrue, labelsPred);
  const c = contingency(t, p);
  if (c.a.length === c.b.length && c.a.length <= 1) return 1;
  const mi = mutualInfo(c);
  const emi = expectedMutualInfo(c);
  const normalizer = (entropyOf(c.a) + entropyOf(c.b)) / 2;
  const eps = 2.220446049250313e-16;
  let denominator = normalizer - emi;
  // sklearn: keep the sign but never divide by (almost) zero.
  denominator = denominator < 0 ? Math.min(denominator, -eps) : Math.max(denominator, eps);
  return (mi - emi) / denominator;
}
