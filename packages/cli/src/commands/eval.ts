import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@emb/core';
import { UsageError } from '../cli-error.js';
import { evaluateEmbedding } from '../evaluate-embedding.js';
import { loadLayersModel } from '../model-files.js';
import { prepareData } from '../prepare-data.js';
import { readConfig } from '../read-config.js';
import { formatQuality, setUpRegistry } from '../run-experiment.js';

/** The model folder of a run folder, or the folder itself when it holds model.json. */
export function modelDirOf(path: string): string {
  return existsSync(join(path, 'model', 'model.json')) ? join(path, 'model') : path;
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { run: { type: 'string' }, config: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  let configPath: string;
  let modelPath: string;
  if (values.run !== undefined) {
    configPath = join(resolve(values.run), 'emb.config.json');
    modelPath = modelDirOf(resolve(values.run));
  } else if (values.config !== undefined && values.model !== undefined) {
    configPath = resolve(values.config);
    modelPath = modelDirOf(resolve(values.model));
  } else {
    throw new UsageError('emb eval needs --run <dir>, or --config <file> and --model <dir>.');
  }
  const config = await readConfig(configPath);
  await initBackend({ backend: config.backend, threads: config.threads, quiet: true });
  const baseDir = dirname(configPath);
  await setUpRegistry(config, baseDir);
  const data = await prepareData(config, baseDir);
  const model = await loadLayersModel(modelPath);
  const q = await evaluateEmbedding(model, data, { metrics: config.eval.metrics, k: config.eval.k });
  if (values.json) {
    console.log(
      JSON.stringify({ ...q.retrieval, knnAccuracy: q.knnAccuracy, queries: data.queries.size, enrolled: data.enrol.size }),
    );
  } else {
    console.log(`held-out classes ${data.testClasses.join(', ')}: ${data.queries.size} queries, ${data.enrol.size} enrolled`);
    console.log(formatQuality(q.retrieval, q.knnAccuracy));
  }
  model.dispose();
  return 0;
}
