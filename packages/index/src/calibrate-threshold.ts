import { EmbError, quote } from '@emb/core';
import { type OperatingPoint, type VerificationPairs, verificationCurve } from './verification-curve.js';

/**
 * The loosest threshold whose false accept rate on the given pairs is at most `targetFar`
 * (so the most genuine pairs are accepted within that FAR). Use it as `unknownThreshold` of
 * `knnClassifier` or as the accept rule of a verifier: accept when distance <= threshold
 * (`kind: 'distance'`) or similarity >= threshold (`kind: 'similarity'`).
 * The rate is measured on these pairs only: calibrate on data that looks like production.
 *
 * @example
 * const { threshold, tar } = calibrateThreshold({ scores, same, kind: 'distance' }, { targetFar: 1e-3 });
 */
export function calibrateThreshold(pairs: VerificationPairs, options: { readonly targetFar: number }): OperatingPoint {
  const target = options?.targetFar;
  if (typeof target !== 'number' || !(target >= 0 && target <= 1)) {
    throw new EmbError('INVALID_OPTION', `calibrateThreshold: targetFar must be a number in [0, 1], got ${quote(target)}.`, {
      option: 'targetFar',
    });
  }
  return verificationCurve(pairs).tarAtFar(target);
}
