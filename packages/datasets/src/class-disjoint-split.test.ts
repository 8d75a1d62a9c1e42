import { isEmbError } from '@emb/core';
import { describe, expect, it } from 'vitest';
import { classDisjointSplit } from './class-disjoint-split.js';
import { inMemoryDataset } from './labelled-dataset.js';
import { selectClasses } from './select-classes.js';
import { splitPerClass } from './split-per-class.js';
import { takePerClass } from './take-per-class.js';

const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
const ds = inMemoryDataset({ x: labels.map((l, i) => [l, i]), labels });

describe('classDisjointSplit', () => {
  it('classDisjointSplit puts every item of a train class in train and of a test class in test', () => {
    const { train, test, trainClasses, testClasses } = classDisjointSplit(ds, {
      trainClasses: [0, 1, 2, 3, 4],
      testClasses: [5, 6, 7, 8, 9],
    });
    expect(trainClasses).toEqual([0, 1, 2, 3, 4]);
    expect(testClasses).toEqual([5, 6, 7, 8, 9]);
    expect(train.size).toBe(10);
    expect(test.size).toBe(11);
    expect(new Set(train.labels)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(new Set(test.labels)).toEqual(new Set([5, 6, 7, 8, 9]));
    // Items travel with their labels.
    for (let i = 0; i < test.size; i++) expect(test.x[2 * i]).toBe(test.labels[i]);
  });

  it('classDisjointSplit takes the complement when only one side is listed', () => {
    expect(classDisjointSplit(ds, { testClasses: [9] }).trainClasses).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(classDisjointSplit(ds, { trainClasses: [0, 1] }).testClasses).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('classDisjointSplit holds out the upper half of the labels by default, or a seeded random choice', () => {
    expect(classDisjointSplit(ds).testClasses).toEqual([5, 6, 7, 8, 9]);
    const a = classDisjointSplit(ds, { testFraction: 0.3, seed: 1 });
    const b = classDisjointSplit(ds, { testFraction: 0.3, seed: 1 });
    expect(a.testClasses).toHaveLength(3);
    expect(a.testClasses).toEqual(b.testClasses);
    expect(a.trainClasses.some((c) => a.testClasses.includes(c))).toBe(false);
  });

  it('classDisjointSplit refuses a class on both sides, naming it', () => {
    try {
      classDisjointSplit(ds, { trainClasses: [0, 1, 2], testClasses: [2, 3] });
      expect.unreachable();
    } catch (e) {
      expect(isEmbError(e, 'INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toMatch(/class 2 is in both trainClasses and testClasses/);
    }
  });

  it('classDisjointSplit refuses classes absent from the dataset and bad fractions', () => {
    expect(() => classDisjointSplit(ds, { testClasses: [42] })).toThrow(/class 42 has no item/);
    expect(() => classDisjointSplit(ds, { testFraction: 1 })).toThrow(/testFraction must be between 0 and 1/);
    expect(() => classDisjointSplit(ds, { trainClasses: [] })).toThrow(/non-empty array/);
  });
});

describe('per-class selection', () => {
  it('splitPerClass takes up to perClass items of every class and leaves the rest', () => {
    const { taken, rest } = splitPerClass(ds, 1);
    expect(taken.size).toBe(10);
    expect(Array.from(taken.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rest.size).toBe(11);
    expect(Array.from(rest.x.filter((_, i) => i % 2 === 1))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('splitPerClass with a seed picks the same random items every time', () => {
    const a = splitPerClass(ds, 2, { seed: 3 }).taken;
    const b = splitPerClass(ds, 2, { seed: 3 }).taken;
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.labels.filter((l) => l === 9)).toHaveLength(2);
  });

  it('takePerClass caps every class and selectClasses keeps only the listed labels', () => {
    expect(takePerClass(ds, 1).size).toBe(10);
    expect(Array.from(selectClasses(ds, [9, 0]).labels)).toEqual([0, 9, 0, 9, 9]);
  });
});
