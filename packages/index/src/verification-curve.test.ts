import { isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { calibrateThreshold, verificationCurve } from './index.js';

describe('verificationCurve', () => {
  it('verificationCurve of perfectly separated distances has AUC 1 and EER 0', () => {
    const c = verificationCurve({ scores: [0.1, 0.2, 0.8, 0.9], same: [true, true, false, false], kind: 'distance' });
    expect(c.auc).toBe(1);
    expect(c.eer).toBe(0);
    expect(c.tarAtFar(0)).toEqual({ threshold: 0.2, far: 0, tar: 1 });
    expect(Array.from(c.far)).toEqual([0, 0, 0, 0.5, 1]);
    expect(Array.from(c.tar)).toEqual([0, 0.5, 1, 1, 1]);
  });

  it('verificationCurve matches scikit-learn roc_curve / roc_auc_score on a small example', () => {
    // sklearn: roc_curve([0,0,1,1], [0.1,0.4,0.35,0.8]) -> fpr [0,0,.5,.5,1], tpr [0,.5,.5,1,1]; AUC 0.75
    const c = verificationCurve({ scores: [0.1, 0.4, 0.35, 0.8], same: [0, 0, 1, 1], kind: 'similarity' });
    expect(Array.from(c.far)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(c.tar)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(c.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
    expect(c.auc).toBeCloseTo(0.75, 12);
    expect(c.eer).toBeCloseTo(0.5, 12);
  });

  it('verificationCurve groups tied scores into one point', () => {
    const c = verificationCurve({ scores: [1, 1, 1, 1], same: [1, 0, 1, 0], kind: 'distance' });
    expect(Array.from(c.far)).toEqual([0, 1]);
    expect(c.auc).toBe(0.5);
  });

  it('verificationCurve interpolates the EER between ROC points', () => {
    // Genuine distances 1..10, impostors 5.5..14.5: at 7.5 both FAR and FRR are 0.3.
    const genuine = Array.from({ length: 10 }, (_, i) => i + 1);
    const impostor = Array.from({ length: 10 }, (_, i) => i + 5.5);
    const c = verificationCurve({
      scores: [...genuine, ...impostor],
      same: [...genuine.map(() => 1), ...impostor.map(() => 0)],
      kind: 'distance',
    });
    expect(c.eer).toBeCloseTo(0.3, 12);
    expect(c.eerThreshold).toBe(7.5);
    // Between points the crossing is interpolated: genuine 0, 2; impostors 1, 3.
    const d = verificationCurve({ scores: [0, 2, 1, 3], same: [1, 1, 0, 0], kind: 'distance' });
    expect(d.eer).toBeCloseTo(0.5, 12);
  });

  it('calibrateThreshold picks the loosest threshold within the target FAR', () => {
    const scores = [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const same = [1, 1, 1, 0, 1, 0, 1, 0, 0, 0];
    const p = calibrateThreshold({ scores, same, kind: 'distance' }, { targetFar: 0.2 });
    // At 0.4: 4 of 5 genuine and 1 of 5 impostor pairs accepted; 0.5 would accept 2 impostors.
    expect(p).toEqual({ threshold: 0.4, far: 0.2, tar: 0.8 });
    const strict = calibrateThreshold({ scores, same, kind: 'distance' }, { targetFar: 0 });
    expect(strict.threshold).toBe(0.3);
    expect(() => calibrateThreshold({ scores, same, kind: 'distance' }, { targetFar: 2 })).toThrow(/targetFar/);
  });

  it('verificationCurve needs genuine and impostor pairs and valid inputs', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isEmbError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => verificationCurve({ scores: [1, 2], same: [1, 1], kind: 'distance' }))).toBe('INVALID_ARGUMENT');
    expect(code(() => verificationCurve({ scores: [1, Number.NaN], same: [1, 0], kind: 'distance' }))).toBe('NON_FINITE');
    expect(code(() => verificationCurve({ scores: [1], same: [1, 0], kind: 'distance' }))).toBe('LABELS_LENGTH');
    expect(code(() => verificationCurve({ scores: [1, 2], same: [1, 0], kind: 'cos' as never }))).toBe('INVALID_ARGUMENT');
  });
});
