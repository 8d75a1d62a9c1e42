import { EmbError, quote } from '@emb/core';
import { classDisjointSplit, type LabelledDataset, selectClasses, splitPerClass, takePerClass } from '@emb/datasets';
import type { EmbConfig } from './emb-config.js';
import { loadDataset } from './load-dataset.js';

/** The data of a run: what trains, and the held-out classes split into enrolled examples and queries. */
export interface PreparedData {
  readonly source: string;
  readonly train: LabelledDataset;
  /** Held-out examples enrolled into the index (a few per class). */
  readonly enrol: LabelledDataset;
  /** Held-out items: retrieval queries (self-retrieval) and k-NN classification probes. */
  readonly queries: LabelledDataset;
  readonly trainClasses: readonly number[];
  readonly testClasses: readonly number[];
  readonly classNames: readonly string[] | undefined;
}

const sortedLabels = (ds: LabelledDataset) => [...new Set(ds.labels)].sort((a, b) => a - b);

/**
 * Loads a config's data and splits it by class: `split.trainClasses` train (capped at
 * `trainPerClass` per class), `split.testClasses` are held out (from `evalDataset` when
 * given); of each held-out class, `eval.enrolPerClass` examples are enrolled and up to
 * `eval.perClass` others are queries. Every random choice follows `config.seed`.
 */
export async function prepareData(config: EmbConfig, baseDir: string): Promise<PreparedData> {
  const seed = `${config.seed}`;
  const source = await loadDataset(config.dataset, baseDir);
  const evalSource = config.evalDataset ? await loadDataset(config.evalDataset, baseDir) : source;
  let train: LabelledDataset;
  let test: LabelledDataset;
  let trainClasses: readonly number[];
  let testClasses: readonly number[];
  const { trainClasses: wantTrain, testClasses: wantTest } = config.split;
  if (evalSource === source) {
    const split = classDisjointSplit(source, {
      ...(wantTrain === undefined ? {} : { trainClasses: wantTrain }),
      ...(wantTest === undefined ? {} : { testClasses: wantTest }),
    });
    ({ train, test, trainClasses, testClasses } = split);
  } else {
    const present = sortedLabels(source);
    trainClasses =
      wantTrain ?? (wantTest ? present.filter((c) => !wantTest.includes(c)) : present.slice(0, Math.ceil(present.length / 2)));
    testClasses = wantTest ?? sortedLabels(evalSource).filter((c) => !trainClasses.includes(c));
    const both = trainClasses.filter((c) => testClasses.includes(c));
    if (both.length > 0) {
      throw new EmbError(
        'INVALID_OPTION',
        `config.split: class ${quote(both[0])} is both trained on and held out; list each class on one side.`,
        {
          classes: both,
        },
      );
    }
    train = selectClasses(source, trainClasses, `${source.name}-train-classes`);
    test = selectClasses(evalSource, testClasses, `${evalSource.name}-test-classes`);
  }
  if (train.size === 0 || test.size === 0) {
    throw new EmbError(
      'INVALID_OPTION',
      `config.split leaves ${train.size} training and ${test.size} held-out items; check the class lists.`,
    );
  }
  if (config.trainPerClass !== undefined) train = takePerClass(train, config.trainPerClass, { seed: `${seed}/train` });
  const { taken: enrol, rest } = splitPerClass(test, config.eval.enrolPerClass, { seed: `${seed}/enrol` });
  const queries =
    config.eval.perClass === undefined ? rest : takePerClass(rest, config.eval.perClass, { seed: `${seed}/queries` });
  if (queries.size < 2) {
    throw new EmbError(
      'INVALID_OPTION',
      `Only ${queries.size} held-out queries remain after enrolling ${config.eval.enrolPerClass} per class; lower eval.enrolPerClass.`,
    );
  }
  return Object.freeze({
    source: source.name,
    train,
    enrol,
    queries,
    trainClasses,
    testClasses,
    classNames: evalSource.classNames ?? source.classNames,
  });
}
