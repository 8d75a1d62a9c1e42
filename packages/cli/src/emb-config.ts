import { EmbError, quote } from '@emb/core';
import * as v from 'valibot';

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const nonNegativeInteger = v.pipe(v.number(), v.integer(), v.minValue(0));
const classList = v.pipe(v.array(v.pipe(v.number(), v.integer())), v.minLength(1));

/** A registry entry by name, with options: `"contrastive"` or `{ "name": "triplet-margin", "options": { "margin": 0.2 } }`. */
const componentSpec = v.union([
  v.pipe(v.string(), v.minLength(1)),
  v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), options: v.optional(v.record(v.string(), v.unknown())) }),
]);

const perClass = v.optional(positiveInteger);

/** Where the data comes from. */
const datasetSchema = v.variant('name', [
  v.strictObject({
    name: v.literal('mnist-digits'),
    /** Images per class kept (the first ones). Default: all (about 1,000). */
    perClass,
  }),
  v.strictObject({
    name: v.literal('fashion-mnist'),
    split: v.optional(v.picklist(['train', 'test']), 'train'),
    dir: v.optional(v.string()),
    perClass,
  }),
  v.strictObject({
    name: v.literal('idx'),
    images: v.pipe(v.string(), v.minLength(1)),
    labels: v.pipe(v.string(), v.minLength(1)),
    classNames: v.optional(v.array(v.string())),
    perClass,
  }),
  v.strictObject({
    name: v.literal('image-folder'),
    dir: v.pipe(v.string(), v.minLength(1)),
    width: v.optional(positiveInteger),
    height: v.optional(positiveInteger),
    channels: v.optional(v.union([v.literal(1), v.literal(3)]), 3),
    perClass,
  }),
]);

const modelSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('cnn'),
    /** Filters of each 3x3 conv + 2x2 max-pool block. */
    filters: v.optional(v.pipe(v.array(positiveInteger), v.minLength(1)), [32, 64]),
    embeddingDim: v.optional(positiveInteger, 128),
  }),
  v.strictObject({
    kind: v.literal('dense'),
    hidden: v.optional(v.array(positiveInteger), [256]),
    embeddingDim: v.optional(positiveInteger, 64),
  }),
  v.strictObject({
    kind: v.literal('layers'),
    /** A saved tfjs-layers model: a folder with model.json, or the model.json itself. */
    path: v.pipe(v.string(), v.minLength(1)),
  }),
]);

const optimizerSchema = v.union([
  v.picklist(['adam', 'sgd', 'rmsprop']),
  v.strictObject({
    name: v.picklist(['adam', 'sgd', 'rmsprop']),
    options: v.optional(v.record(v.string(), v.unknown())),
  }),
]);

const metricName = v.picklist([
  'precisionAt1',
  'rPrecision',
  'meanAveragePrecisionAtR',
  'meanAveragePrecision',
  'meanReciprocalRank',
  'nmi',
  'ami',
]);

/**
 * The valibot schema of `emb.config.json`: what `emb train` (and `emb demo`, which writes one
 * beside its outputs) runs. Every field but `dataset` has a default.
 */
export const embConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  /**
   * Packages (or paths) whose registry plugin is installed before anything is created; imported
   * only when listed. `{ "name": ..., "override": true }` lets a plugin replace existing entries.
   */
  plugins: v.optional(
    v.array(
      v.union([
        v.pipe(v.string(), v.minLength(1)),
        v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), override: v.optional(v.boolean()) }),
      ]),
    ),
    [],
  ),
  backend: v.optional(v.picklist(['wasm', 'cpu']), 'wasm'),
  /** Threads of the wasm backend: 1-4, or 'auto' (the machine's cores, at most 4). */
  threads: v.optional(v.union([v.literal('auto'), v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4))]), 'auto'),
  seed: v.optional(v.union([v.pipe(v.number(), v.integer()), v.string()]), 0),
  /** Training data (and, without `evalDataset`, the held-out data). */
  dataset: datasetSchema,
  /** Held-out data from another source (Fashion-MNIST's test split, say). Default: `dataset`. */
  evalDataset: v.optional(datasetSchema),
  /** Which classes train and which are held out (never trained on). Default: lower half of the labels train. */
  split: v.optional(
    v.strictObject({
      trainClasses: v.optional(classList),
      testClasses: v.optional(classList),
    }),
    {},
  ),
  model: v.optional(modelSchema, { kind: 'cnn', filters: [32, 64], embeddingDim: 128 }),
  loss: v.optional(componentSpec, { name: 'triplet-margin', options: { margin: 0.2 } }),
  miner: v.optional(v.nullable(componentSpec), { name: 'triplet-margin', options: { margin: 0.2, typeOfTriplets: 'semihard' } }),
  sampler: v.optional(v.nullable(componentSpec), null),
  optimizer: v.optional(optimizerSchema, { name: 'adam', options: { learningRate: 0.001 } }),
  epochs: v.optional(positiveInteger, 2),
  batchSize: v.optional(positiveInteger, 128),
  /** Training images per class (a seeded random choice). Default: all. */
  trainPerClass: v.optional(positiveInteger),
  eval: v.optional(
    v.strictObject({
      /** Evaluate every N epochs. */
      every: v.optional(positiveInteger, 1),
      metrics: v.optional(v.array(metricName), ['precisionAt1', 'meanAveragePrecisionAtR']),
      /** Held-out images per class used as retrieval queries. Default: all. */
      perClass: v.optional(positiveInteger),
      /** Held-out images per class enrolled into the index (the rest are classified through it). */
      enrolPerClass: v.optional(nonNegativeInteger, 5),
      /** Neighbours that vote in the k-NN classifier. */
      k: v.optional(positiveInteger, 3),
    }),
    {},
  ),
  /** Output folder. Default: `emb-runs/<date-time>`. */
  output: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/** A validated `emb.config.json`, defaults filled in. */
export type EmbConfig = v.InferOutput<typeof embConfigSchema>;
/** What may be written in `emb.config.json`. */
export type EmbConfigInput = v.InferInput<typeof embConfigSchema>;

type Issue = v.BaseIssue<unknown>;
type Key = string | number;

function keysOf(issue: Issue): Key[] {
  return (issue.path ?? []).map((p) => p.key as Key);
}

function formatPath(keys: readonly Key[]): string {
  return `config${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

/**
 * Flattens union issues: a union reports one issue list per branch, with paths relative to
 * the union's value; the branch that got past the type check (its issue lies deeper) is the
 * one the user meant, so report that branch's issues at their full path.
 */
function explain(issue: Issue, prefix: readonly Key[]): { keys: Key[]; issue: Issue }[] {
  const keys = [...prefix, ...keysOf(issue)];
  if (issue.type === 'union' && issue.issues) {
    const deeper = issue.issues.filter((i) => keysOf(i).length > 0);
    if (deeper.length > 0) return deeper.flatMap((i) => explain(i, keys));
  }
  return [{ keys, issue }];
}

function describeIssue(issue: Issue): string {
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'unknown field (remove it or check its spelling)';
  // valibot names objects and arrays only by their type ("received Object"): quote the value.
  const vague = issue.received === 'Object' || issue.received === 'Array';
  // valibot quotes the whole received value: a 100 kB string would make a 100 kB message.
  if (issue.message.length > 300) return `Expected ${issue.expected ?? 'another value'} (got ${quote(issue.input)})`;
  return `${issue.message}${vague ? ` (got ${quote(issue.input)})` : ''}`;
}

/**
 * Validates a parsed `emb.config.json` and fills in defaults. Every wrong field gets its own
 * line naming it (`config.model.kind`), saying what was expected and quoting what was found.
 *
 * @param source Named in the message (the file path). Default `'emb.config.json'`.
 * @throws {EmbError} `INVALID_OPTION` listing every problem.
 * @example
 * const config = parseEmbConfig(JSON.parse(await readFile('emb.config.json', 'utf8')));
 */
export function parseEmbConfig(input: unknown, source = 'emb.config.json'): EmbConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    // Without this, valibot reports the missing 'dataset' of an array, which misleads.
    throw new EmbError(
      'INVALID_OPTION',
      `${source} is not a valid emb config: it must be a JSON object such as { "dataset": { "name": "mnist-digits" } }, got ${quote(input)}.`,
      { source, issues: [`config: expected an object, got ${quote(input)}`] },
    );
  }
  const result = v.safeParse(embConfigSchema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { keys, issue } of result.issues.flatMap((i) => explain(i, []))) {
    const text = `${formatPath(keys)}: ${describeIssue(issue)}`;
    if (!seen.has(text)) {
      seen.add(text);
      lines.push(text);
    }
  }
  throw new EmbError('INVALID_OPTION', `${source} is not a valid emb config:\n${lines.map((l) => `  - ${l}`).join('\n')}`, {
    source,
    issues: lines,
  });
}
