import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import {
  accuracyCalculator,
  calibrateThreshold,
  type ExactIndex,
  exactIndex,
  exactIndexFromBytes,
  knnClassifier,
  verificationCurve,
} from './index.js';
import { loadIndex } from './node.js';

// What @emb/index's entry points do with bad input (issue 10). Rendered into docs/bad-input/index.md.
const dir = mkdtempSync(join(tmpdir(), 'emb-index-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An index of 3 labelled 4-D vectors. */
async function small(): Promise<ExactIndex> {
  const index = exactIndex({ dim: 4 });
  await index.add(
    [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ],
    { labels: [0, 1, 1] },
  );
  return index;
}
/** Runs `f` on a fresh small index and frees its search tensors afterwards (no leak). */
async function withSmall<T>(f: (index: ExactIndex) => Promise<T> | T): Promise<T> {
  const index = await small();
  try {
    return await f(index);
  } finally {
    index.dispose();
  }
}
const pairs = { scores: [0.1, 0.9, 0.2, 0.8], same: [true, false, true, false], kind: 'distance' as const };

const cases: BadInputCase[] = [
  {
    entry: 'exactIndex',
    input: 'dim 0',
    outcome: 'INVALID_OPTION',
    quotes: 'got 0',
    run: () => exactIndex({ dim: 0 }),
  },
  {
    entry: 'exactIndex',
    input: 'an unknown metric',
    outcome: 'INVALID_OPTION',
    quotes: '"manhattan"',
    run: () => exactIndex({ dim: 4, distance: 'manhattan' as never }),
  },
  {
    entry: 'index.add',
    input: 'NaN in a vector',
    outcome: 'NON_FINITE',
    quotes: 'NaN at row 0, column 1',
    run: () => withSmall((i) => i.add([[0, Number.NaN, 0, 0]])),
  },
  {
    entry: 'index.add',
    input: 'vectors of another dimension',
    outcome: 'DIMENSION_MISMATCH',
    quotes: /has 3 values but the index has dimension 4/,
    run: () => withSmall((i) => i.add([[1, 2, 3]])),
  },
  {
    entry: 'index.add',
    input: 'a tensor of rank 3',
    outcome: 'SHAPE_MISMATCH',
    quotes: '[1, 2, 4]',
    run: async () => {
      const t = tf.zeros([1, 2, 4]);
      try {
        return await withSmall((i) => i.add(t as never));
      } finally {
        t.dispose();
      }
    },
  },
  {
    entry: 'index.add',
    input: 'fewer labels than vectors',
    outcome: 'LABELS_LENGTH',
    quotes: /1 entries but there are 2/,
    run: () =>
      withSmall((i) =>
        i.add(
          [
            [1, 1, 1, 1],
            [2, 2, 2, 2],
          ],
          { labels: [3] },
        ),
      ),
  },
  {
    entry: 'index.add',
    input: 'a non-integer label',
    outcome: 'INVALID_LABELS',
    quotes: 'labels[0] is 2.5',
    run: () => withSmall((i) => i.add([[1, 1, 1, 1]], { labels: [2.5] })),
  },
  {
    entry: 'index.add',
    input: 'an id that is already stored',
    outcome: 'INVALID_ARGUMENT',
    quotes: /id 0 .*upsert/,
    run: () => withSmall((i) => i.add([[1, 1, 1, 1]], { ids: [0] })),
  },
  {
    entry: 'index.add',
    input: 'negative labels',
    outcome: 'ok',
    result: 'stored: labels are class ids compared for equality',
    run: async () => {
      return withSmall(async (index) => {
        await index.add([[1, 1, 1, 1]], { labels: [-7] });
        return (await index.search([[1, 1, 1, 1]], 1))[0]?.labels[0];
      });
    },
    check: (v) => expect(v).toBe(-7),
  },
  {
    entry: 'index.search',
    input: 'k larger than the index',
    outcome: 'K_TOO_LARGE',
    quotes: /k = 5 but the index holds 3 vectors; ask for at most 3/,
    run: () => withSmall((i) => i.search([[1, 0, 0, 0]], 5)),
  },
  {
    entry: 'index.search',
    input: 'an empty index',
    outcome: 'K_TOO_LARGE',
    quotes: /holds 0 vectors/,
    run: () => exactIndex({ dim: 4 }).search([[1, 0, 0, 0]], 1),
  },
  {
    entry: 'index.search',
    input: 'k = 0 or not an integer',
    outcome: 'INVALID_ARGUMENT',
    quotes: 'got 1.5',
    run: () => withSmall((i) => i.search([[1, 0, 0, 0]], 1.5)),
  },
  {
    entry: 'index.search',
    input: 'queries of another dimension',
    outcome: 'DIMENSION_MISMATCH',
    quotes: /has 2 values but the index has dimension 4/,
    run: () => withSmall((i) => i.search([[1, 0]], 1)),
  },
  {
    entry: 'index.search',
    input: 'Infinity in a query',
    outcome: 'NON_FINITE',
    quotes: 'Infinity',
    run: () => withSmall((i) => i.search([[Number.POSITIVE_INFINITY, 0, 0, 0]], 1)),
  },
  {
    entry: 'index.search',
    input: 'no queries (0 rows)',
    outcome: 'ok',
    result: 'an empty list',
    run: () => withSmall((i) => i.search(new Float32Array(0), 1)),
    check: (v) => expect(v).toEqual([]),
  },
  {
    entry: 'exactIndexFromBytes',
    input: 'truncated bytes',
    outcome: 'CORRUPT_FILE',
    quotes: /the checksum does not match|shorter than/,
    run: async () => {
      const bytes = (await small()).toBytes();
      return exactIndexFromBytes(bytes.subarray(0, bytes.length - 9));
    },
  },
  {
    entry: 'exactIndexFromBytes',
    input: 'an index of another dimension than expected',
    outcome: 'DIMENSION_MISMATCH',
    quotes: /4-D vectors but 8-D was expected/,
    run: async () => exactIndexFromBytes((await small()).toBytes(), { dim: 8 }),
  },
  {
    entry: 'loadIndex',
    input: 'a missing file',
    outcome: 'IO',
    quotes: '"no-such-dir/missing.embidx"',
    // A relative path, so that the docs' example message is the same on every machine.
    run: () => loadIndex('no-such-dir/missing.embidx'),
  },
  {
    entry: 'loadIndex',
    input: 'a file that is not an index (a JSON file)',
    outcome: 'CORRUPT_FILE',
    quotes: '"EMBINDEX"',
    run: () => {
      const path = join(dir, 'config.json');
      writeFileSync(path, JSON.stringify({ dataset: { name: 'mnist-digits', perClass: 100 }, epochs: 3, batchSize: 64 }));
      return loadIndex(path);
    },
  },
  {
    entry: 'knnClassifier: classify',
    input: 'an empty index',
    outcome: 'EMPTY_BATCH',
    quotes: 'add labelled vectors',
    run: () => knnClassifier(exactIndex({ dim: 4 })).classify([[1, 0, 0, 0]]),
  },
  {
    entry: 'knnClassifier: classify',
    input: 'k larger than the index',
    outcome: 'ok',
    result: 'votes among every stored vector (k is capped at the index size)',
    run: () => withSmall(async (i) => (await knnClassifier(i, { k: 10 }).classify([[0, 1, 0.1, 0]]))[0]?.neighbours.ids.length),
    check: (v) => expect(v).toBe(3),
  },
  {
    entry: 'knnClassifier',
    input: 'k = 0',
    outcome: 'INVALID_OPTION',
    quotes: 'got 0',
    run: () => withSmall((i) => knnClassifier(i, { k: 0 })),
  },
  {
    entry: 'accuracyCalculator: compute',
    input: 'fewer labels than query rows',
    outcome: 'LABELS_LENGTH',
    quotes: /queryLabels has 2 entries but there are 3/,
    run: () =>
      accuracyCalculator().compute({
        query: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        queryLabels: [0, 1],
      }),
  },
  {
    entry: 'accuracyCalculator: compute',
    input: 'NaN in the query',
    outcome: 'NON_FINITE',
    quotes: 'NaN',
    run: () =>
      accuracyCalculator().compute({
        query: [
          [1, 0],
          [Number.NaN, 1],
        ],
        queryLabels: [0, 0],
      }),
  },
  {
    entry: 'accuracyCalculator: compute',
    input: 'an empty query',
    outcome: 'EMPTY_BATCH',
    quotes: 'query is empty',
    run: () => accuracyCalculator().compute({ query: [], queryLabels: [] }),
  },
  {
    entry: 'accuracyCalculator: compute',
    input: 'k larger than the reference',
    outcome: 'K_TOO_LARGE',
    quotes: /10 neighbours per query .* only 2 candidates/,
    run: () =>
      accuracyCalculator({ k: 10 }).compute({
        query: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        queryLabels: [0, 0, 1],
      }),
  },
  {
    entry: 'accuracyCalculator: compute',
    input: 'one class only',
    outcome: 'ok',
    result:
      'perfect retrieval scores (every neighbour is relevant); NMI and AMI of a single cluster as scikit-learn defines them',
    run: () =>
      accuracyCalculator().compute({
        query: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        queryLabels: [4, 4, 4],
      }),
    check: (v) => expect((v as { precisionAt1: number }).precisionAt1).toBe(1),
  },
  {
    entry: 'verificationCurve',
    input: 'only genuine pairs',
    outcome: 'INVALID_ARGUMENT',
    quotes: /3 genuine and 0 impostor/,
    run: () => verificationCurve({ scores: [0.1, 0.2, 0.3], same: [true, true, true], kind: 'distance' }),
  },
  {
    entry: 'verificationCurve',
    input: 'a NaN score',
    outcome: 'NON_FINITE',
    quotes: 'scores[1] is NaN',
    run: () => verificationCurve({ ...pairs, scores: [0.1, Number.NaN, 0.2, 0.8] }),
  },
  {
    entry: 'verificationCurve',
    input: 'scores and same of different lengths',
    outcome: 'LABELS_LENGTH',
    quotes: 'got 4 and 3',
    run: () => verificationCurve({ ...pairs, same: [true, false, true] }),
  },
  {
    entry: 'calibrateThreshold',
    input: 'targetFar outside [0, 1]',
    outcome: 'INVALID_OPTION',
    quotes: 'got 5',
    run: () => calibrateThreshold(pairs, { targetFar: 5 }),
  },
];

describe('bad input to @emb/index on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('index', '@emb/index', cases);
});
