import * as tf from '@tensorflow/tfjs-core';
import * as v from 'valibot';
import { beforeAll, describe } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../test/bad-input-matrix.js';
import { createRegistry, createRng, defineEntry, initBackend, toLabels } from './index.js';

// What @emb/core's entry points (registry, RNG, backend, validation) do with bad input
// (issue 10). Rendered into docs/bad-input/core.md.
const entry = (name: string) =>
  defineEntry({
    kind: 'loss',
    name,
    options: v.strictObject({ margin: v.optional(v.number(), 0.1) }),
    create: () => ({}) as never,
  });
const registry = createRegistry();
registry.register(entry('triplet-margin'));

const cases: BadInputCase[] = [
  {
    entry: 'registry.create',
    input: 'an unknown name',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"tripletMargin".*Known loss names: triplet-margin/,
    run: () => registry.create('loss', 'tripletMargin'),
  },
  {
    entry: 'registry.create',
    input: 'an unknown kind',
    outcome: 'INVALID_ARGUMENT',
    quotes: /"losses".*loss, miner/,
    run: () => registry.create('losses' as never, 'triplet-margin'),
  },
  {
    entry: 'registry.create',
    input: 'an option that fails the schema',
    outcome: 'INVALID_OPTION',
    quotes: /"margin".*"big"/,
    run: () => registry.create('loss', 'triplet-margin', { margin: 'big' }),
  },
  {
    entry: 'registry.create',
    input: 'options that are not an object',
    outcome: 'INVALID_OPTION',
    quotes: '42',
    run: () => registry.create('loss', 'triplet-margin', 42),
  },
  {
    entry: 'registry.register',
    input: 'a name registered twice',
    outcome: 'DUPLICATE_ENTRY',
    quotes: /"triplet-margin".*override: true/,
    run: () => registry.register(entry('triplet-margin')),
  },
  {
    entry: 'registry.register',
    input: 'a name that is not kebab-case',
    outcome: 'INVALID_ARGUMENT',
    quotes: '"Triplet Margin"',
    run: () => createRegistry().register(entry('Triplet Margin')),
  },
  {
    entry: 'registry.use',
    input: 'a plugin for another specification version',
    outcome: 'SPEC_VERSION',
    quotes: /"acme".*"v99"/,
    run: () => createRegistry().use({ name: 'acme', specificationVersion: 'v99' as never, entries: [] }),
  },
  {
    entry: 'registry.use',
    input: 'something that is not a plugin',
    outcome: 'INVALID_ARGUMENT',
    quotes: '"@emb/losses"',
    run: () => createRegistry().use('@emb/losses' as never),
  },
  {
    entry: 'toLabels',
    input: 'a label beyond the int32 range',
    outcome: 'INVALID_LABELS',
    quotes: 'labels[1] is 4294967296',
    run: () => toLabels([0, 2 ** 32]),
  },
  {
    entry: 'toLabels',
    input: 'a 2-D label tensor',
    outcome: 'SHAPE_MISMATCH',
    quotes: '[2, 1]',
    run: () => tf.tidy(() => toLabels(tf.tensor2d([[0], [1]], [2, 1], 'int32') as never)),
  },
  {
    entry: 'createRng',
    input: 'a NaN seed',
    outcome: 'INVALID_ARGUMENT',
    quotes: 'NaN',
    run: () => createRng(Number.NaN),
  },
  {
    entry: 'rng.setState',
    input: 'a state of the wrong length',
    outcome: 'INVALID_ARGUMENT',
    quotes: '[1, 2]',
    run: () => createRng(0).setState([1, 2] as never),
  },
  {
    entry: 'initBackend',
    input: 'an unknown backend',
    outcome: 'BACKEND',
    quotes: '"webgpu"',
    run: () => initBackend({ backend: 'webgpu' as never, quiet: true }),
  },
];

describe('bad input to @emb/core', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('core', '@emb/core (registry, RNG, backend, validation)', cases);
});
