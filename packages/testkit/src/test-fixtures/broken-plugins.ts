// Deliberately broken plugins: each breaks one rule of the emb contract, so that the tests
// can show the testkit (or the registry) catches it and says what is wrong.
import {
  type AnyRegistryEntry,
  type Distance,
  type Index,
  type Loss,
  type Miner,
  type MinerOutput,
  type Sampler,
  type StandardSchemaV1,
  specificationVersion,
  toLabels,
} from '@emb/core';
import { exactIndex } from '@emb/index';
import * as tf from '@tensorflow/tfjs-core';

type Options = Record<string, unknown>;

/** A hand-written Standard Schema: any validation library works; this one needs none. */
export function schema(known: Record<string, (v: unknown) => boolean>, strict = true): StandardSchemaV1<unknown, Options> {
  return {
    '~standard': {
      version: 1,
      vendor: 'emb-testkit-fixtures',
      validate(value) {
        const o = (value ?? {}) as Options;
        const issues: StandardSchemaV1.Issue[] = [];
        for (const key of Object.keys(o)) {
          const ok = known[key];
          if (!ok) {
            if (strict) issues.push({ message: 'Unknown option', path: [key] });
          } else if (!ok(o[key])) issues.push({ message: 'Invalid value', path: [key] });
        }
        return issues.length ? { issues } : { value: o };
      },
    },
  };
}

const entry = (kind: AnyRegistryEntry['kind'], name: string, create: (o: Options) => unknown, options = schema({})) =>
  ({ kind, name, options, create }) as unknown as AnyRegistryEntry;

/** A pairwise Euclidean matrix with a plain sqrt: its gradient is NaN where rows coincide. */
function plainEuclidean(q: tf.Tensor2D, r: tf.Tensor2D = q): tf.Tensor2D {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(tf.expandDims(q, 1), tf.expandDims(r, 0))), 2)) as tf.Tensor2D);
}

function lossOf(name: string, compute: (embeddings: tf.Tensor2D) => tf.Scalar, version = specificationVersion): Loss {
  return {
    specificationVersion: version as typeof specificationVersion,
    name,
    variables: {},
    options: {},
    compute: ({ embeddings, labels }) => {
      if (labels) toLabels(labels, { length: embeddings.shape[0] }); // validates the count
      return compute(embeddings);
    },
    terms: () => ({}),
  };
}

/** Sum of pairwise distances with a plain sqrt: NaN gradient on the diagonal. */
export const nanGradientLoss = entry('loss', 'acme/nan-gradient', () =>
  lossOf('acme/nan-gradient', (e) => tf.tidy(() => tf.mean(plainEuclidean(e)))),
);

/** A correct loss that leaves three tensors behind on every call. */
export const leakyLoss = entry('loss', 'acme/leaky', () =>
  lossOf('acme/leaky', (e) => {
    for (let i = 0; i < 3; i++) tf.scalar(i); // never disposed
    return tf.tidy(() => tf.mean(tf.square(e)));
  }),
);

/** Built for a contract version this @emb/core does not know. */
export const futureVersionLoss = entry('loss', 'acme/future', () => lossOf('acme/future', (e) => tf.mean(e), 2 as never));

/** No option schema at all. */
export const schemaLessLoss = {
  ...(nanGradientLoss as object),
  name: 'acme/schema-less',
  options: undefined,
} as unknown as AnyRegistryEntry;

/** A schema that lets unknown options through (valibot's v.object instead of v.strictObject). */
export const permissiveLoss = entry(
  'loss',
  'acme/permissive',
  () => lossOf('acme/permissive', (e) => tf.tidy(() => tf.mean(tf.square(e)))),
  schema({}, false),
);

function pairsMiner(
  name: string,
  select: (labels: Int32Array) => { pos: [number, number][]; neg: [number, number][] },
  leak = 0,
): Miner {
  return {
    specificationVersion,
    name,
    options: {},
    outputKind: 'pairs',
    mine({ embeddings, labels }): MinerOutput {
      for (let i = 0; i < leak; i++) tf.square(embeddings); // never disposed
      const { pos, neg } = select(toLabels(labels, { length: embeddings.shape[0] }));
      const col = (xs: [number, number][], k: 0 | 1) => Int32Array.from(xs, (p) => p[k]);
      return {
        kind: 'pairs',
        posAnchors: col(pos, 0),
        positives: col(pos, 1),
        negAnchors: col(neg, 0),
        negatives: col(neg, 1),
        stats: {
          numPositivePairs: pos.length,
          numNegativePairs: neg.length,
          numTriplets: 0,
          meanPositiveDistance: Number.NaN,
          meanNegativeDistance: Number.NaN,
        },
      };
    },
  };
}

function allPairs(labels: Int32Array, self: boolean) {
  const pos: [number, number][] = [];
  const neg: [number, number][] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] === labels[j] && (i !== j || self)) pos.push([i, j]);
      else if (labels[i] !== labels[j]) neg.push([i, j]);
    }
  }
  return { pos, neg };
}

/** Every pair, but also each row with itself as a positive. */
export const selfPairMiner = entry('miner', 'acme/self-pairs', () => pairsMiner('acme/self-pairs', (l) => allPairs(l, true)));

/** Every pair, correctly, but two tensors leak per call. */
export const leakyMiner = entry('miner', 'acme/leaky-miner', () => pairsMiner('acme/leaky-miner', (l) => allPairs(l, false), 2));

/** The first positive after each anchor in batch order: depends on the order of the rows. */
export const orderDependentMiner = entry('miner', 'acme/first-positive', () =>
  pairsMiner('acme/first-positive', (l) => {
    const pos: [number, number][] = [];
    for (let i = 0; i < l.length; i++) {
      const j = l.findIndex((x, k) => k > i && x === l[i]);
      if (j >= 0) pos.push([i, j]);
    }
    return { pos, neg: [] };
  }),
);

function samplerOf(name: string, epoch: Sampler['epoch']): Sampler {
  return { specificationVersion, name, options: {}, epoch };
}

/** Sequential chunks: the last batch is short although every batch is promised `batchSize` rows. */
export const shortBatchSampler = entry(
  'sampler',
  'acme/chunks',
  (o) =>
    samplerOf('acme/chunks', (labels) => {
      const n = toLabels(labels).length;
      const size = o.batchSize as number;
      return Array.from({ length: Math.ceil(n / size) }, (_, b) =>
        Int32Array.from({ length: Math.min(size, n - b * size) }, (_, i) => b * size + i),
      );
    }),
  schema({ batchSize: (v) => Number.isInteger(v) && (v as number) > 0 }),
);

/** Shuffles with Math.random instead of the rng it is given: not replayable. */
export const unseededSampler = entry('sampler', 'acme/unseeded', () =>
  samplerOf('acme/unseeded', (labels) => {
    const n = toLabels(labels).length;
    const rows = Array.from({ length: n }, (_, i) => i).sort(() => Math.random() - 0.5);
    return [Int32Array.from(rows.slice(0, 8)), Int32Array.from(rows.slice(8, 16))];
  }),
);

function distanceOf(name: string, isInverted: boolean, pairwise: (q: tf.Tensor2D, r?: tf.Tensor2D) => tf.Tensor2D): Distance {
  return {
    specificationVersion,
    name,
    isInverted,
    normalizeEmbeddings: false,
    power: 1,
    options: {},
    pairwise,
    paired: (q, r) => tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(q, r)), 1)) as tf.Tensor1D),
    normalize: (x) => x,
    margin: (x, y) => (isInverted ? tf.sub(y, x) : tf.sub(x, y)) as never,
    smallest: (x, axis) => (isInverted ? tf.max(x, axis) : tf.min(x, axis)),
    largest: (x, axis) => (isInverted ? tf.min(x, axis) : tf.max(x, axis)),
  };
}

/** Euclidean distance with a plain sqrt: NaN gradient where rows coincide. */
export const plainSqrtDistance = entry('distance', 'acme/plain-l2', () => distanceOf('acme/plain-l2', false, plainEuclidean));

/** A distance that claims to be a similarity. */
export const wronglyInvertedDistance = entry('distance', 'acme/inverted-l2', () =>
  distanceOf('acme/inverted-l2', true, (q, r) =>
    tf.tidy(
      () => tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(tf.expandDims(q, 1), tf.expandDims(r ?? q, 0))), 2), 1e-6)) as tf.Tensor2D,
    ),
  ),
);

/** Wraps the exact index, changing one behaviour. */
function wrapExact(options: Options, change: (index: Index) => Partial<Index>): Index {
  const inner = exactIndex(options as { dim: number });
  return Object.assign(Object.create(null), {
    specificationVersion: inner.specificationVersion,
    name: 'acme/wrapped',
    dim: inner.dim,
    metric: inner.metric,
    isInverted: inner.isInverted,
    size: () => inner.size(),
    add: inner.add,
    upsert: inner.upsert,
    remove: inner.remove,
    search: inner.search,
    dispose: () => inner.dispose(),
    ...change(inner),
  }) as Index;
}

/** Ignores the filter. */
export const filterIgnoringIndex = (o: Options) => wrapExact(o, (inner) => ({ search: (q, k) => inner.search(q, k) }));

/** Returns the neighbours farthest first. */
export const reversedIndex = (o: Options) =>
  wrapExact(o, (inner) => ({
    search: async (q, k, opts) =>
      (await inner.search(q, k, opts)).map((r) => ({
        ids: [...r.ids].reverse(),
        labels: [...r.labels].reverse(),
        distances: r.distances.slice().reverse(),
      })),
  }));

/** remove() reports success but keeps the vectors. */
export const stickyIndex = (o: Options) => wrapExact(o, () => ({ remove: async (ids) => ids.length }));
