import { type LabelsLike, parseOptions, type Rng, type Sampler, specificationVersion, toLabels } from '@emb/core';
import * as v from 'valibot';
import { labelGroups } from './internal/label-groups.js';
import { positiveInteger } from './internal/option-schemas.js';

/** Options schema of {@link classBalancedSampler}. */
export const classBalancedSamplerOptions = v.strictObject({
  batchSize: positiveInteger,
  numBatches: v.optional(v.nullable(positiveInteger), null),
});

export type ClassBalancedSamplerOptions = v.InferInput<typeof classBalancedSamplerOptions>;

/**
 * Batches in which every class is equally frequent, whatever its size: rows are drawn class
 * by class from shuffled rounds of all classes (each class once per round), and within a
 * class from a shuffled cycle of its rows, so small classes are oversampled, large ones
 * undersampled, and every row of a class is used before any repeats. Class counts over an
 * epoch differ by at most one.
 *
 * Options: `batchSize` (required), `numBatches = null` (`ceil(rows / batchSize)`, one epoch's
 * worth of rows).
 *
 * @example
 * const sampler = classBalancedSampler({ batchSize: 64 });
 * const batches = sampler.epoch(labels, createRng(0));
 */
export function classBalancedSampler(options: ClassBalancedSamplerOptions): Sampler {
  const o = parseOptions(classBalancedSamplerOptions, options, "sampler 'class-balanced'");
  const sampler: Sampler = {
    specificationVersion,
    name: 'class-balanced',
    options: Object.freeze({ ...o }),
    epoch(labelsLike: LabelsLike, rng: Rng): Int32Array[] {
      const labels = toLabels(labelsLike);
      if (labels.length === 0) return [];
      const groups = labelGroups(labels);
      const classes = Array.from(groups.values);
      const cycles = new Map<number, { perm: Int32Array; next: number }>();
      for (const c of classes) cycles.set(c, { perm: rng.shuffle(Int32Array.from(groups.indicesOf(c))), next: 0 });
      let round: number[] = [];
      const nextRow = (): number => {
        if (round.length === 0) round = rng.shuffle([...classes]);
        const c = round.pop() as number;
        const cycle = cycles.get(c) as { perm: Int32Array; next: number };
        if (cycle.next === cycle.perm.length) {
          rng.shuffle(cycle.perm);
          cycle.next = 0;
        }
        return cycle.perm[cycle.next++] as number;
      };
      const numBatches = o.numBatches ?? Math.ceil(labels.length / o.batchSize);
      const batches: Int32Array[] = [];
      for (let b = 0; b < numBatches; b++) {
        const batch = new Int32Array(o.batchSize);
        for (let k = 0; k < o.batchSize; k++) batch[k] = nextRow();
        batches.push(batch);
      }
      return batches;
    },
  };
  return Object.freeze(sampler);
}
