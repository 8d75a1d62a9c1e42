import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { classDisjointSplit, encodeIdx, idxDataset, inMemoryDataset, parseIdx, readIdx } from './index.js';
import { loadIdxFile, loadImageFolder } from './node.js';

// What the dataset loaders do with bad input (issue 10). Rendered into docs/bad-input/datasets.md.
const images = encodeIdx({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) });
const labels3 = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.of(0, 1, 1) });
const ds = () => inMemoryDataset({ x: [[0], [1], [2], [3]], labels: [0, 0, 1, 1] });

const cases: BadInputCase[] = [
  {
    entry: 'inMemoryDataset',
    input: 'fewer labels than items',
    outcome: 'LABELS_LENGTH',
    quotes: /3 entries but there are 4/,
    run: () => inMemoryDataset({ x: [[0], [1], [2], [3]], labels: [0, 0, 1] }),
  },
  {
    entry: 'inMemoryDataset',
    input: 'a non-integer label',
    outcome: 'INVALID_LABELS',
    quotes: 'is 0.5',
    run: () => inMemoryDataset({ x: [[0], [1]], labels: [0, 0.5] }),
  },
  {
    entry: 'inMemoryDataset',
    input: 'rows of different lengths',
    outcome: 'SHAPE_MISMATCH',
    quotes: /x\[1\] has 1 values but x\[0\] has 2/,
    run: () => inMemoryDataset({ x: [[0, 1], [1]], labels: [0, 1] }),
  },
  {
    entry: 'inMemoryDataset',
    input: 'a tensor of rank 0',
    outcome: 'SHAPE_MISMATCH',
    quotes: 'got shape []',
    run: () => {
      const x = tf.scalar(1);
      try {
        return inMemoryDataset({ x, labels: [0] });
      } finally {
        x.dispose();
      }
    },
  },
  {
    entry: 'parseIdx',
    input: 'a truncated file',
    outcome: 'CORRUPT_FILE',
    quotes: /bytes/,
    run: () => parseIdx(images.subarray(0, images.length - 3)),
  },
  {
    entry: 'parseIdx',
    input: 'a header claiming 4 billion items in a 20-byte file',
    outcome: 'CORRUPT_FILE',
    quotes: /4294967295/,
    run: () => {
      const b = Uint8Array.from(labels3);
      new DataView(b.buffer).setUint32(4, 0xffffffff, false);
      return parseIdx(b);
    },
  },
  {
    entry: 'readIdx',
    input: 'gzip data that inflates past maxBytes (a decompression bomb)',
    outcome: 'CORRUPT_FILE',
    quotes: /more than 1000 bytes; raise maxBytes/,
    run: async () => {
      const { gzipSync } = await import('node:zlib');
      return readIdx(new Uint8Array(gzipSync(new Uint8Array(1 << 20))), { maxBytes: 1000 });
    },
  },
  {
    entry: 'idxDataset',
    input: 'labels for another number of images',
    outcome: 'SHAPE_MISMATCH',
    quotes: /3.*4|4.*3/,
    run: () => idxDataset(images, encodeIdx({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) })),
  },
  {
    entry: 'loadIdxFile',
    input: 'a missing file',
    outcome: 'NOT_FOUND',
    quotes: '"no-such-dir/train-images.idx"',
    run: () => loadIdxFile('no-such-dir/train-images.idx'),
  },
  {
    entry: 'loadImageFolder',
    input: 'a missing folder',
    outcome: 'NOT_FOUND',
    quotes: '"no-such-dir/images"',
    run: () => loadImageFolder('no-such-dir/images', { width: 8, height: 8 }),
  },
  {
    entry: 'classDisjointSplit',
    input: 'a class on both sides',
    outcome: 'INVALID_ARGUMENT',
    quotes: /class 1 is in both trainClasses and testClasses/,
    run: () => classDisjointSplit(ds(), { trainClasses: [0, 1], testClasses: [1] }),
  },
  {
    entry: 'classDisjointSplit',
    input: 'one class only',
    outcome: 'INVALID_ARGUMENT',
    quotes: /at least two classes, got \[0\]/,
    run: () => classDisjointSplit(inMemoryDataset({ x: [[0], [1]], labels: [0, 0] })),
  },
];

describe('bad input to @emb/datasets', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('datasets', '@emb/datasets', cases);
});
