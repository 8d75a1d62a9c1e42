import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { intFlag, UsageError } from '../cli-error.js';
import { readConfig } from '../read-config.js';
import { formatQuality, runExperiment } from '../run-experiment.js';

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, out: { type: 'string' }, epochs: { type: 'string' }, limit: { type: 'string' } },
    strict: true,
  });
  if (values.config === undefined) throw new UsageError('emb train needs --config <file>.');
  const configPath = resolve(values.config);
  let config = await readConfig(configPath);
  const epochs = intFlag(values.epochs, 'epochs');
  const limit = intFlag(values.limit, 'limit');
  config = { ...config, ...(epochs === undefined ? {} : { epochs }), ...(limit === undefined ? {} : { trainPerClass: limit }) };
  const baseDir = dirname(configPath);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = values.out !== undefined ? resolve(values.out) : resolve(baseDir, config.output ?? `emb-runs/${stamp}`);
  const summary = await runExperiment(config, { outDir, baseDir, title: `emb train: ${values.config}` });
  console.log(`before: ${formatQuality(summary.before)}`);
  console.log(`after:  ${formatQuality(summary.after)}`);
  console.log(`done in ${summary.seconds.total.toFixed(1)} s; wrote ${summary.outDir}/`);
  return 0;
}
