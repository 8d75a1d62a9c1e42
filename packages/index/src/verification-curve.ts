import { EmbError, quote } from '@emb/core';

/** Scored pairs for verification ("same identity or not?"). */
export interface VerificationPairs {
  /** One score per pair: a distance or a similarity, see `kind`. */
  readonly scores: ArrayLike<number>;
  /** Whether each pair is genuinely the same (true / 1) or an impostor pair (false / 0). */
  readonly same: ArrayLike<boolean | number>;
  /** `'distance'`: smaller means same (accept when score <= threshold). `'similarity'`: larger means same (accept when score >= threshold). */
  readonly kind: 'distance' | 'similarity';
}

/** One operating point: a threshold and its rates. */
export interface OperatingPoint {
  readonly threshold: number;
  /** False accept rate (impostor pairs accepted / impostor pairs), the ROC's x. */
  readonly far: number;
  /** True accept rate (genuine pairs accepted / genuine pairs), the ROC's y. */
  readonly tar: number;
}

/** The ROC of a verifier and the numbers people quote from it. */
export interface VerificationCurve {
  readonly kind: 'distance' | 'similarity';
  /** ROC points from the strictest threshold (accept nothing) to the loosest (accept everything). */
  readonly thresholds: Float64Array;
  readonly far: Float64Array;
  readonly tar: Float64Array;
  /** Area under the ROC (trapezoids); 1 = perfect, 0.5 = chance. */
  readonly auc: number;
  /** Equal error rate: where FAR = 1 - TAR (linearly interpolated between ROC points). */
  readonly eer: number;
  /** The ROC point closest to the equal-error crossing. */
  readonly eerThreshold: number;
  /** The best TAR with FAR <= `far` (no interpolation: a threshold that really achieves it). */
  tarAtFar(far: number): OperatingPoint;
  readonly genuine: number;
  readonly impostor: number;
}

/** Validates and sorts pairs by decreasing "sameness". @internal */
export function sortedPairs(pairs: VerificationPairs): {
  scores: Float64Array;
  same: Uint8Array;
  order: Int32Array;
  genuine: number;
  impostor: number;
} {
  if (pairs === null || typeof pairs !== 'object') {
    throw new EmbError('INVALID_ARGUMENT', `Expected { scores, same, kind }, got ${quote(pairs)}.`);
  }
  const { kind } = pairs;
  if (kind !== 'distance' && kind !== 'similarity') {
    throw new EmbError('INVALID_ARGUMENT', `kind must be 'distance' or 'similarity', got ${quote(kind)}.`, { kind });
  }
  const n = pairs.scores?.length;
  if (typeof n !== 'number' || pairs.same?.length !== n) {
    throw new EmbError(
      'LABELS_LENGTH',
      `scores and same must have the same length, got ${quote(n)} and ${quote(pairs.same?.length)}.`,
    );
  }
  const scores = new Float64Array(n);
  const same = new Uint8Array(n);
  let genuine = 0;
  for (let i = 0; i < n; i++) {
    const s = pairs.scores[i] as number;
    if (typeof s !== 'number' || Number.isNaN(s))
      throw new EmbError('NON_FINITE', `scores[${i}] is ${quote(s)}; every score must be a number.`, { index: i });
    scores[i] = s;
    const t = pairs.same[i];
    same[i] = t === true || t === 1 ? 1 : 0;
    if (!(t === true || t === false || t === 1 || t === 0)) {
      throw new EmbError('INVALID_LABELS', `same[${i}] is ${quote(t)}; use true / false (or 1 / 0).`, { index: i });
    }
    genuine += same[i] as number;
  }
  const impostor = n - genuine;
  if (genuine === 0 || impostor === 0) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `Verification needs both genuine and impostor pairs, got ${genuine} genuine and ${impostor} impostor pairs.`,
      { genuine, impostor },
    );
  }
  const sign = kind === 'distance' ? 1 : -1;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => sign * ((scores[a] as number) - (scores[b] as number)),
  );
  return { scores, same, order, genuine, impostor };
}

/**
 * The ROC curve of a verifier from scored pairs (like scikit-learn's `roc_curve` without
 * dropping points): FAR and TAR at every distinct threshold, AUC, the equal error rate and
 * TAR at a given FAR, as face re-identification reports them.
 *
 * @example
 * const curve = verificationCurve({ scores: distances, same: isSamePerson, kind: 'distance' });
 * curve.auc; curve.eer; curve.tarAtFar(1e-3).tar;
 */
export function verificationCurve(pairs: VerificationPairs): VerificationCurve {
  const { scores, same, order, genuine, impostor } = sortedPairs(pairs);
  const kind = pairs.kind;
  const thresholds = [kind === 'distance' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY];
  const far = [0];
  const tar = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const idx = order[i] as number;
    if (same[idx]) tp++;
    else fp++;
    const next = order[i + 1];
    // One point per distinct score: tied pairs are accepted together.
    if (next !== undefined && scores[next] === scores[idx]) continue;
    thresholds.push(scores[idx] as number);
    far.push(fp / impostor);
    tar.push(tp / genuine);
  }
  let auc = 0;
  for (let i = 1; i < far.length; i++)
    auc += (((far[i] as number) - (far[i - 1] as number)) * ((tar[i] as number) + (tar[i - 1] as number))) / 2;
  // EER: first segment where FAR - FRR changes sign, interpolated.
  let eer = 1;
  let eerThreshold = thresholds[thresholds.length - 1] as number;
  for (let i = 1; i < far.length; i++) {
    const d0 = (far[i - 1] as number) - (1 - (tar[i - 1] as number));
    const d1 = (far[i] as number) - (1 - (tar[i] as number));
    if (d1 >= 0) {
      const t = d1 === d0 ? 0 : -d0 / (d1 - d0);
      eer = (far[i - 1] as number) + t * ((far[i] as number) - (far[i - 1] as number));
      eerThreshold = (Math.abs(d0) <= Math.abs(d1) ? thresholds[i - 1] : thresholds[i]) as number;
      break;
    }
  }
  const th = Float64Array.from(thresholds);
  const fa = Float64Array.from(far);
  const ta = Float64Array.from(tar);
  return Object.freeze({
    kind,
    thresholds: th,
    far: fa,
    tar: ta,
    auc,
    eer,
    eerThreshold,
    genuine,
    impostor,
    tarAtFar(target: number): OperatingPoint {
      if (typeof target !== 'number' || !(target >= 0 && target <= 1)) {
        throw new EmbError('INVALID_ARGUMENT', `tarAtFar: far must be in [0, 1], got ${quote(target)}.`, { far: target });
      }
      let best = 0;
      for (let i = 0; i < fa.length; i++) if ((fa[i] as number) <= target) best = i;
      return { threshold: th[best] as number, far: fa[best] as number, tar: ta[best] as number };
    },
  });
}
