import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbError, initBackend, quote } from '@emb/core';
import { idxDataset, inMemoryDataset, type LabelledDataset, selectClasses, takePerClass } from '@emb/datasets';
import { decodeImage, loadFashionMnist, loadIdxFile, loadImageFolder, loadMnistDigits } from '@emb/datasets/node';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classesFlag, intFlag, UsageError } from '../cli-error.js';
import { embedItems } from '../embed-items.js';
import { assertIndexType, type CliIndex, createIndexByName, openIndexFile, saveIndexFile } from '../index-backend.js';
import { loadLayersModel } from '../model-files.js';
import { resizeForModel } from '../resize-for-model.js';
import { modelDirOf } from './eval.js';

function inputShapeOf(model: tfl.LayersModel): [number, number, number] | [number] {
  const shape = model.inputs[0]?.shape.slice(1) as number[];
  return shape as [number, number, number] | [number];
}

async function loadData(spec: string, model: tfl.LayersModel): Promise<LabelledDataset> {
  const shape = inputShapeOf(model);
  if (spec === 'mnist-digits') return loadMnistDigits();
  if (spec === 'fashion-mnist' || spec === 'fashion-mnist:train' || spec === 'fashion-mnist:test') {
    return loadFashionMnist({ split: spec.endsWith(':test') ? 'test' : 'train' });
  }
  if (spec.startsWith('idx:')) {
    const [images, labels] = spec.slice(4).split(',');
    if (!images || !labels) throw new UsageError(`--data idx:<images>,<labels> needs both files, got "${spec}".`);
    return idxDataset(await loadIdxFile(resolve(images)), await loadIdxFile(resolve(labels)));
  }
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    if (shape.length !== 3)
      throw new UsageError(`The model takes vectors ${quote(shape)}, not images; --data cannot be an image folder.`);
    return loadImageFolder(spec, { height: shape[0], width: shape[1], channels: shape[2] === 1 ? 1 : 3 });
  }
  throw new UsageError(
    `--data ${quote(spec)} is not mnist-digits, fashion-mnist[:test], idx:<images>,<labels> or an existing folder.`,
  );
}

async function selectedData(values: { data?: string; classes?: string; 'per-class'?: string }, model: tfl.LayersModel) {
  if (values.data === undefined) throw new UsageError('this command needs --data <spec>.');
  let ds = await loadData(values.data, model);
  const classes = classesFlag(values.classes, 'classes');
  if (classes) ds = selectClasses(ds, classes);
  const perClass = intFlag(values['per-class'], 'per-class');
  if (perClass !== undefined) ds = takePerClass(ds, perClass);
  if (ds.size === 0) throw new UsageError('the selected data is empty; check --classes.');
  return ds;
}

async function addTo(index: CliIndex, model: tfl.LayersModel, ds: LabelledDataset): Promise<number> {
  const { vectors } = embedItems(model, ds.x, ds.itemShape, { normalize: index.metric === 'cosine' });
  await index.add(vectors, {
    labels: ds.labels,
    metadata: Array.from(ds.labels, (l) => ({ className: ds.classNames?.[l] ?? String(l), source: ds.name })),
  });
  return ds.size;
}

export async function indexCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      index: { type: 'string' },
      classes: { type: 'string' },
      'per-class': { type: 'string' },
      metric: { type: 'string' },
      'index-type': { type: 'string' },
      'index-options': { type: 'string' },
      image: { type: 'string' },
      k: { type: 'string', short: 'k' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (sub === 'info') {
    if (values.index === undefined) throw new UsageError('emb index info needs --index <file>.');
    await initBackend({ threads: 'auto', quiet: true });
    const index = await openIndexFile(resolve(values.index));
    const size = await index.size();
    const counts = new Map<string, number>();
    if (size > 0) {
      // The index has no listing call; a search whose filter sees every entry (and keeps none) counts them.
      await index.search(new Float32Array(index.dim).fill(1), 1, {
        filter: (entry) => {
          const key = entry.label === null ? '(none)' : String(entry.label);
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return false;
        },
      });
    }
    const info = {
      size,
      dim: index.dim,
      metric: index.metric,
      labels: Object.fromEntries([...counts.entries()].sort()),
      ...(index.name === 'exact' ? {} : { type: index.name }),
    };
    if (values.json) console.log(JSON.stringify(info));
    else {
      const type = index.name === 'exact' ? '' : ` (${index.name} index)`;
      console.log(`${values.index}: ${size} vectors of dimension ${index.dim}, metric ${index.metric}${type}`);
      console.log(`labels: ${[...counts.entries()].map(([l, n]) => `${l} (${n})`).join(', ') || '(none)'}`);
    }
    index.dispose?.();
    return 0;
  }
  if (sub !== 'build' && sub !== 'add' && sub !== 'query') {
    throw new UsageError(`emb index needs a sub-command: build, add, query or info${sub ? `, got "${sub}"` : ''}.`);
  }
  if (values.model === undefined) throw new UsageError(`emb index ${sub} needs --model <dir>.`);
  // Index type and options are checked before the model loads, so a typo fails at once.
  const type = values['index-type'] ?? 'exact';
  let indexOptions: Record<string, unknown> = {};
  if (values['index-options'] !== undefined) {
    try {
      indexOptions = JSON.parse(values['index-options']);
    } catch {
      throw new UsageError(
        `--index-options must be a JSON object like '{"M":16,"efSearch":100}', got '${values['index-options']}'.`,
      );
    }
    if (indexOptions === null || typeof indexOptions !== 'object' || Array.isArray(indexOptions)) {
      throw new UsageError(`--index-options must be a JSON object, got '${values['index-options']}'.`);
    }
  }
  assertIndexType(type);
  await initBackend({ threads: 'auto', quiet: true });
  const model = await loadLayersModel(modelDirOf(resolve(values.model)));
  const dim = model.outputs[0]?.shape[1] as number;
  if (sub === 'build') {
    if (values.out === undefined) throw new UsageError('emb index build needs --out <file.embidx>.');
    const metric = values.metric ?? 'cosine';
    if (metric !== 'cosine' && metric !== 'l2') throw new UsageError(`--metric must be cosine or l2, got "${metric}".`);
    const index = await createIndexByName(type, dim, metric, indexOptions);
    const ds = await selectedData(values, model);
    const n = await addTo(index, model, ds);
    await saveIndexFile(index, resolve(values.out));
    console.log(
      `built ${values.out}: ${n} vectors of dimension ${dim} (${metric}${type === 'exact' ? '' : `, ${type}`}) from ${ds.name}`,
    );
    index.dispose?.();
  } else if (sub === 'add') {
    if (values.index === undefined) throw new UsageError('emb index add needs --index <file.embidx>.');
    const index = await openIndexFile(resolve(values.index), { dim });
    const ds = await selectedData(values, model);
    const n = await addTo(index, model, ds);
    await saveIndexFile(index, resolve(values.index));
    console.log(`added ${n} vectors to ${values.index}: ${await index.size()} in all`);
    index.dispose?.();
  } else {
    if (values.index === undefined) throw new UsageError('emb index query needs --index <file.embidx>.');
    const index = await openIndexFile(resolve(values.index), { dim });
    const k = intFlag(values.k, 'k') ?? 5;
    let queries: LabelledDataset;
    if (values.image !== undefined) {
      const shape = inputShapeOf(model);
      if (shape.length !== 3) throw new UsageError('--image needs a model that takes images.');
      const image = decodeImage(await readFile(resolve(values.image)), { channels: shape[2] === 1 ? 1 : 3, name: values.image });
      queries = inMemoryDataset({ x: resizeForModel(image, shape), itemShape: shape, labels: [-1], name: values.image });
    } else {
      queries = await selectedData(values, model);
    }
    const { vectors } = embedItems(model, queries.x, queries.itemShape, { normalize: index.metric === 'cosine' });
    const size = await index.size();
    if (size === 0)
      throw new EmbError('INVALID_ARGUMENT', `The index ${quote(values.index)} is empty; add vectors with emb index add.`);
    const results = await index.search(vectors, Math.min(k, size));
    const rows = results.map((r, i) => {
      const votes = new Map<number, number>();
      for (const l of r.labels) if (l !== null) votes.set(l, (votes.get(l) ?? 0) + 1);
      const predicted = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      return {
        query: i,
        label: queries.labels[i] === -1 ? null : queries.labels[i],
        predicted,
        neighbours: r.ids.map((id, j) => ({ id, label: r.labels[j], distance: r.distances[j] })),
      };
    });
    if (values.json) console.log(JSON.stringify(rows));
    else {
      for (const row of rows.slice(0, 20)) {
        const nb = row.neighbours.map((n) => `${n.id}:${n.label}(${(n.distance as number).toFixed(3)})`).join(' ');
        console.log(
          `query ${row.query}${row.label === null ? '' : ` (label ${row.label})`}: predicted ${row.predicted}  neighbours ${nb}`,
        );
      }
      if (rows.length > 20) console.log(`... ${rows.length - 20} more queries (use --json for all)`);
      const labelled = rows.filter((r) => r.label !== null);
      if (labelled.length > 0) {
        const right = labelled.filter((r) => r.predicted === r.label).length;
        console.log(
          `k-NN accuracy ${(right / labelled.length).toFixed(4)} over ${labelled.length} labelled queries (k = ${Math.min(k, size)})`,
        );
      }
    }
    index.dispose?.();
  }
  model.dispose();
  return 0;
}
