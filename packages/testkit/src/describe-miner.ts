import { type AnyRegistryEntry, isEmbError, type Miner, type MinerOutput } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ConformanceCheck,
  check,
  describeChecks,
  type Finding,
  fail,
  runChecks,
  type SuiteOptions,
} from './conformance-check.js';
import { checkNoLeaks } from './internal/leaks.js';
import { randomBatch, randomPermutation } from './internal/random-data.js';
import { assertKind, createThroughRegistry, registryChecks } from './internal/registry-checks.js';

/** Options of {@link describeMiner} and {@link checkMiner}. */
export interface DescribeMinerOptions extends SuiteOptions {
  /** Options passed to `create` through the registry. Default `{}`. */
  readonly options?: Record<string, unknown>;
  /** Batch size, dimension and number of classes of the random test batch. Default 12, 6, 3. */
  readonly batch?: { readonly size: number; readonly dim: number; readonly classes: number };
  /**
   * The option that seeds a random miner (`'seed'`). When set, the suite checks seeded
   * determinism (same seed same tuples, another seed other tuples) instead of permutation
   * equivariance, which random draws do not have.
   */
  readonly seedOption?: string;
  /** Skip the reference-embeddings check (miners without a reference set). */
  readonly noRefEmbeddings?: boolean;
  /** Option sets (merged into `options`) the schema must reject; the error must name the first key. */
  readonly badOptions?: readonly Record<string, unknown>[];
  /** Calls in the leak check. Default 20. */
  readonly leakCalls?: number;
}

type Labels = readonly number[];

/** Every tuple of a miner output as strings, pairs split into positive and negative halves. */
function tupleKeys(out: MinerOutput, map: (i: number) => number = (i) => i, mapRef: (i: number) => number = map): string[] {
  if (out.kind === 'triplets') {
    return Array.from(
      out.anchors,
      (a, t) => `t ${map(a)} ${mapRef(out.positives[t] as number)} ${mapRef(out.negatives[t] as number)}`,
    ).sort();
  }
  return [
    ...Array.from(out.posAnchors, (a, t) => `p ${map(a)} ${mapRef(out.positives[t] as number)}`),
    ...Array.from(out.negAnchors, (a, t) => `n ${map(a)} ${mapRef(out.negatives[t] as number)}`),
  ].sort();
}

/**
 * Checks the form of a miner output: the kind, Int32Array fields of matching lengths, indices
 * in range, no pair of a row with itself (without a reference set), labels that agree for
 * positives and differ for negatives, and numeric statistics.
 */
function checkTuple(what: string, miner: Miner, out: MinerOutput, labels: Labels, refLabels: Labels, isSelf: boolean): void {
  check(out !== null && typeof out === 'object', `${what}: mine() returned ${String(out)}.`);
  check(
    out.kind === miner.outputKind,
    `${what}: mine() returned kind ${JSON.stringify(out.kind)} but outputKind is ${JSON.stringify(miner.outputKind)}.`,
  );
  const fields =
    out.kind === 'triplets'
      ? (['anchors', 'positives', 'negatives'] as const)
      : (['posAnchors', 'positives', 'negAnchors', 'negatives'] as const);
  for (const f of fields) {
    const value = (out as unknown as Record<string, unknown>)[f];
    check(value instanceof Int32Array, `${what}: ${f} must be an Int32Array, got ${Object.prototype.toString.call(value)}.`);
  }
  const rows = labels.length;
  const cols = refLabels.length;
  const inRange = (name: string, xs: Int32Array, n: number) => {
    const bad = xs.findIndex((i) => i < 0 || i >= n);
    check(bad < 0, () => `${what}: ${name}[${bad}] = ${xs[bad]} is outside [0, ${n}).`);
  };
  const pairs = (
    kind: 'positive' | 'negative',
    anchors: Int32Array,
    others: Int32Array,
    anchorName: string,
    otherName: string,
  ) => {
    check(
      anchors.length === others.length,
      `${what}: ${anchorName} has ${anchors.length} entries but ${otherName} has ${others.length}.`,
    );
    inRange(anchorName, anchors, rows);
    inRange(otherName, others, cols);
    for (let t = 0; t < anchors.length; t++) {
      const a = anchors[t] as number;
      const o = others[t] as number;
      if (kind === 'positive') {
        check(!isSelf || a !== o, `${what}: ${anchorName}[${t}] = ${otherName}[${t}] = ${a}: a row is paired with itself.`);
        check(
          labels[a] === refLabels[o],
          `${what}: positive ${t} (${a}, ${o}) joins labels ${labels[a]} and ${refLabels[o]}; positives must share the label.`,
        );
      } else {
        check(
          labels[a] !== refLabels[o],
          `${what}: negative ${t} (${a}, ${o}) joins two rows of label ${labels[a]}; negatives must differ in label.`,
        );
      }
    }
  };
  if (out.kind === 'triplets') {
    pairs('positive', out.anchors, out.positives, 'anchors', 'positives');
    pairs('negative', out.anchors, out.negatives, 'anchors', 'negatives');
  } else {
    pairs('positive', out.posAnchors, out.positives, 'posAnchors', 'positives');
    pairs('negative', out.negAnchors, out.negatives, 'negAnchors', 'negatives');
  }
  const stats = out.stats as unknown as Record<string, unknown> | undefined;
  check(stats !== undefined && typeof stats === 'object', `${what}: the output has no stats.`);
  for (const key of ['numPositivePairs', 'numNegativePairs', 'numTriplets', 'meanPositiveDistance', 'meanNegativeDistance']) {
    check(typeof stats[key] === 'number', `${what}: stats.${key} must be a number, got ${String(stats[key])}.`);
  }
}

/**
 * The miner checks as plain functions (each throws a `ConformanceError` saying what is
 * wrong). {@link describeMiner} wraps them in vitest tests; {@link checkMiner} runs them.
 */
export function minerChecks(entry: AnyRegistryEntry, opts: DescribeMinerOptions = {}): ConformanceCheck[] {
  assertKind(entry, 'miner', 'describeMiner');
  const options = opts.options ?? {};
  const { size, dim, classes } = opts.batch ?? { size: 12, dim: 6, classes: 3 };
  const what = `miner '${entry.name}'`;
  const make = (extra: Record<string, unknown> = {}) => createThroughRegistry<'miner'>(entry, { ...options, ...extra }) as Miner;
  /** Mines from plain rows and reads the result; the tensors live only inside. */
  const mine = (miner: Miner, rows: number[][], labels: Labels, ref?: { rows: number[][]; labels: Labels }): MinerOutput => {
    const x = tf.tensor2d(rows);
    const r = ref ? tf.tensor2d(ref.rows) : undefined;
    try {
      return miner.mine({ embeddings: x, labels, ...(r && ref ? { refEmbeddings: r, refLabels: ref.labels } : {}) });
    } finally {
      x.dispose();
      r?.dispose();
    }
  };
  const batch = (seed: number) => randomBatch(seed, size, dim, classes);

  return [
    ...registryChecks(entry, options, opts.badOptions),
    {
      name: 'returns valid tuples of its outputKind: Int32Array indices in range, labels that agree or differ as the kind requires',
      run() {
        const miner = make();
        check(
          miner.outputKind === 'pairs' || miner.outputKind === 'triplets',
          `${what}: outputKind must be 'pairs' or 'triplets', got ${JSON.stringify(miner.outputKind)}.`,
        );
        for (const seed of [1, 2]) {
          const { rows, labels } = batch(seed);
          checkTuple(what, miner, mine(miner, rows, labels), labels, labels, true);
        }
      },
    },
    {
      name: 'accepts labels as number[], Int32Array and int32 tensor alike, and rejects a wrong count with an EmbError',
      run() {
        // A fresh miner per call: a random miner's generator advances from call to call.
        const { rows, labels } = batch(11);
        const reference = tupleKeys(mine(make(), rows, labels)).join('|');
        check(
          tupleKeys(mine(make(), rows, Int32Array.from(labels) as unknown as Labels)).join('|') === reference,
          `${what}: Int32Array labels gave other tuples than number[] labels.`,
        );
        const t = tf.tensor1d(labels, 'int32');
        try {
          check(
            tupleKeys(mine(make(), rows, t as unknown as Labels)).join('|') === reference,
            `${what}: tensor labels gave other tuples than number[] labels.`,
          );
        } finally {
          t.dispose();
        }
        let error: unknown;
        try {
          mine(make(), rows, labels.slice(1));
        } catch (e) {
          error = e;
        }
        check(
          isEmbError(error),
          `${what}: ${size - 1} labels for ${size} embeddings must throw an EmbError (toLabels from @emb/core checks this), got ${error === undefined ? 'a result' : String(error)}.`,
        );
      },
    },
    {
      name: 'permuting the batch permutes the tuples',
      skip: opts.seedOption ? 'a random miner (seedOption): checked for seeded determinism instead' : undefined,
      run() {
        const miner = make();
        const { rows, labels } = batch(3);
        const perm = randomPermutation(4, size);
        const original = tupleKeys(mine(miner, rows, labels));
        const permuted = mine(
          miner,
          perm.map((i) => rows[i] as number[]),
          perm.map((i) => labels[i] as number),
        );
        const mapped = tupleKeys(permuted, (i) => perm[i] as number);
        const missing = original.filter((t) => !mapped.includes(t));
        const extra = mapped.filter((t) => !original.includes(t));
        check(
          missing.length === 0 && extra.length === 0 && mapped.length === original.length,
          () =>
            `${what}: after permuting the batch the tuples are not the permuted tuples (${original.length} before, ${mapped.length} after; e.g. missing ${missing[0] ?? '-'}, unexpected ${extra[0] ?? '-'}). A miner must depend on the rows, not on their order; pass { seedOption } for a random miner.`,
        );
      },
    },
    {
      name: 'gives the same tuples for the same seed and other tuples for another seed',
      skip: opts.seedOption ? undefined : 'not a random miner (pass { seedOption: "seed" } for one)',
      run() {
        const key = opts.seedOption as string;
        const { rows, labels } = batch(5);
        const a = tupleKeys(mine(make({ [key]: 1 }), rows, labels));
        const b = tupleKeys(mine(make({ [key]: 1 }), rows, labels));
        const c = tupleKeys(mine(make({ [key]: 2 }), rows, labels));
        check(
          a.join('|') === b.join('|'),
          `${what}: two miners created with ${key} = 1 mined different tuples from the same batch; draw every random choice from a generator seeded by ${key}.`,
        );
        check(
          a.join('|') !== c.join('|'),
          `${what}: ${key} = 1 and ${key} = 2 mined identical tuples; the option ${JSON.stringify(key)} does not seed the draws.`,
        );
      },
    },
    {
      name: 'uses reference embeddings: anchors index the batch, positives and negatives the reference set',
      skip: opts.noRefEmbeddings ? 'noRefEmbeddings' : undefined,
      run() {
        const miner = make();
        const q = batch(6);
        const r = randomBatch(7, size + 3, dim, classes);
        checkTuple(`${what} (with refEmbeddings)`, miner, mine(miner, q.rows, q.labels, r), q.labels, r.labels, false);
      },
    },
    {
      name: 'returns a valid empty tuple when nothing can be mined',
      run() {
        const miner = make();
        const { rows } = batch(8);
        const distinct = rows.map((_, i) => i);
        const same = rows.map(() => 0);
        for (const [label, labels] of [
          ['every label distinct (no positives)', distinct],
          ['a single label (no negatives)', same],
        ] as const) {
          let out: MinerOutput;
          try {
            out = mine(miner, rows, labels);
          } catch (error) {
            fail(`${what}: mining a batch with ${label} threw ${String(error)}; it must return an empty tuple.`);
          }
          checkTuple(`${what} (${label})`, miner, out, labels, labels, true);
          const empty =
            out.kind === 'triplets'
              ? out.anchors.length === 0
              : label.startsWith('every')
                ? out.posAnchors.length === 0
                : out.negAnchors.length === 0;
          check(
            empty,
            `${what}: a batch with ${label} still gave ${out.kind === 'triplets' ? 'triplets' : 'pairs of that half'}.`,
          );
        }
      },
    },
    {
      name: 'runs without recording gradients',
      run() {
        const miner = make();
        const { rows, labels } = batch(9);
        const x = tf.tensor2d(rows);
        try {
          const grad = tf.grad((e: tf.Tensor) => {
            miner.mine({ embeddings: e as tf.Tensor2D, labels });
            return tf.sum(e);
          })(x);
          const g = grad.dataSync();
          grad.dispose();
          check(
            g.every((v) => v === 1),
            `${what}: mining inside tf.grad changed the gradient of sum(embeddings); mining must not add to the gradient.`,
          );
        } catch (error) {
          if ((error as Error).name === 'ConformanceError') throw error;
          fail(
            `${what}: mining inside tf.grad threw ${String(error)}; mine under a custom gradient or read values back without recording.`,
          );
        } finally {
          x.dispose();
        }
      },
    },
    {
      name: 'leaks no tensors',
      async run() {
        const miner = make();
        const { rows, labels } = batch(10);
        const x = tf.tensor2d(rows);
        try {
          await checkNoLeaks(`${what}: mine()`, () => miner.mine({ embeddings: x, labels }), opts.leakCalls ?? 20);
          await checkNoLeaks(
            `${what}: mine() inside tf.grad`,
            () =>
              tf.dispose(
                tf.grad((e: tf.Tensor) => {
                  miner.mine({ embeddings: e as tf.Tensor2D, labels });
                  return tf.sum(e);
                })(x),
              ),
            opts.leakCalls ?? 20,
          );
        } finally {
          x.dispose();
        }
      },
    },
  ];
}

/**
 * Runs the miner checks on each backend and returns what failed (empty when the miner
 * conforms). Use it to test a checker, or outside vitest.
 */
export function checkMiner(entry: AnyRegistryEntry, opts: DescribeMinerOptions = {}): Promise<Finding[]> {
  return runChecks(() => minerChecks(entry, opts), opts.backends);
}

/**
 * The conformance suite every miner (built-in or plugin) passes, run with vitest: creation
 * through a registry with its option schema (unknown and bad options rejected with an
 * `EmbError`), valid tuples (kind, Int32Array fields, indices in range, no row paired with
 * itself, positives share a label and negatives do not, statistics), permutation
 * equivariance (or seeded determinism for a random miner), the reference-embeddings path,
 * a valid empty tuple when nothing can be mined, mining inside `tf.grad` without touching
 * the gradient, and no tensor leaks, on wasm and cpu.
 *
 * @example
 * // my-miner.test.ts
 * describeMiner(myMinerEntry, { options: { margin: 0.2 } });
 * describeMiner(myRandomMinerEntry, { seedOption: 'seed' });
 */
export function describeMiner(entry: AnyRegistryEntry, opts: DescribeMinerOptions = {}): void {
  describeChecks(
    (backend) => `miner '${entry.name}' conforms to the emb contract on ${backend}`,
    () => minerChecks(entry, opts),
    opts.backends,
  );
}
