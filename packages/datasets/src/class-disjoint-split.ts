import { createRng, EmbError, quote } from '@emb/core';
import { assertDataset, type LabelledDataset } from './labelled-dataset.js';
import { selectClasses } from './select-classes.js';

/** Options of {@link classDisjointSplit}. Give the classes, or a fraction to hold out. */
export interface ClassDisjointSplitOptions {
  /** Labels to train on. Default: every label not in `testClasses`. */
  readonly trainClasses?: readonly number[];
  /** Labels to evaluate on (never trained on). Default: every label not in `trainClasses`. */
  readonly testClasses?: readonly number[];
  /**
   * When neither list is given: the share of classes held out, rounded, at least one on each
   * side. Default `0.5`: the usual metric-learning protocol (first half of the classes train,
   * second half test, as for CUB-200 and Cars-196).
   */
  readonly testFraction?: number;
  /** When neither list is given: choose the held-out classes at random with this seed. Default: the highest labels. */
  readonly seed?: number | string;
}

/** The two sides of a {@link classDisjointSplit}. */
export interface ClassDisjointSplit {
  readonly train: LabelledDataset;
  readonly test: LabelledDataset;
  readonly trainClasses: readonly number[];
  readonly testClasses: readonly number[];
}

function checkClassList(list: unknown, name: string): asserts list is readonly number[] {
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => Number.isInteger(c))) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `classDisjointSplit: ${name} must be a non-empty array of integer labels, got ${quote(list)}.`,
      {
        option: name,
        value: list,
      },
    );
  }
}

/**
 * Splits a dataset by class so that no class is on both sides: train on some classes,
 * evaluate on classes the network has never seen. This is how metric learning is measured
 * (and how an index is used: new classes are enrolled, not trained).
 *
 * @throws {EmbError} `INVALID_ARGUMENT` when a class is on both sides, when a listed class
 *   has no item, or when a side would be empty.
 * @example
 * const { train, test } = classDisjointSplit(mnist, { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9] });
 * const halves = classDisjointSplit(ds); // lower half of the labels train, upper half test
 */
export function classDisjointSplit(ds: LabelledDataset, options: ClassDisjointSplitOptions = {}): ClassDisjointSplit {
  assertDataset(ds, 'classDisjointSplit');
  const present = [...new Set(ds.labels)].sort((a, b) => a - b);
  let trainClasses: number[];
  let testClasses: number[];
  if (options.trainClasses !== undefined || options.testClasses !== undefined) {
    if (options.trainClasses !== undefined) checkClassList(options.trainClasses, 'trainClasses');
    if (options.testClasses !== undefined) checkClassList(options.testClasses, 'testClasses');
    trainClasses = [...new Set(options.trainClasses ?? present.filter((c) => !options.testClasses?.includes(c)))];
    testClasses = [...new Set(options.testClasses ?? present.filter((c) => !options.trainClasses?.includes(c)))];
    const both = trainClasses.filter((c) => testClasses.includes(c));
    if (both.length > 0) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `classDisjointSplit: class ${quote(both[0])} is in both trainClasses and testClasses; a class-disjoint split needs each class on one side only.`,
        { classes: both },
      );
    }
    const missing = [...trainClasses, ...testClasses].filter((c) => !present.includes(c));
    if (missing.length > 0) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `classDisjointSplit: class ${quote(missing[0])} has no item in this dataset; its labels are ${quote(present)}.`,
        { missing, present },
      );
    }
  } else {
    const fraction = options.testFraction ?? 0.5;
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
      throw new EmbError(
        'INVALID_ARGUMENT',
        `classDisjointSplit: testFraction must be between 0 and 1 (exclusive), got ${quote(fraction)}.`,
        {
          option: 'testFraction',
          value: fraction,
        },
      );
    }
    if (present.length < 2) {
      throw new EmbError('INVALID_ARGUMENT', `classDisjointSplit needs at least two classes, got ${quote(present)}.`, {
        present,
      });
    }
    const nTest = Math.min(present.length - 1, Math.max(1, Math.round(present.length * fraction)));
    const order = options.seed === undefined ? [...present] : createRng(options.seed).shuffle([...present]);
    testClasses = order.slice(order.length - nTest).sort((a, b) => a - b);
    trainClasses = present.filter((c) => !testClasses.includes(c));
  }
  if (trainClasses.length === 0 || testClasses.length === 0) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      'classDisjointSplit: both sides need at least one class; list some classes for each.',
      {
        trainClasses,
        testClasses,
      },
    );
  }
  return Object.freeze({
    train: selectClasses(ds, trainClasses, `${ds.name}-train-classes`),
    test: selectClasses(ds, testClasses, `${ds.name}-test-classes`),
    trainClasses: Object.freeze(trainClasses),
    testClasses: Object.freeze(testClasses),
  });
}
