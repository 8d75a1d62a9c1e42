import { parseArgs } from 'node:util';
import { initBackend, registry } from '@emb/core';
import { lossesPlugin } from '@emb/losses';
import { minersPlugin } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '../build-model.js';
import { intFlag, UsageError } from '../cli-error.js';

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      'batch-size': { type: 'string' },
      steps: { type: 'string' },
      threads: { type: 'string' },
    },
    strict: true,
  });
  const backend = values.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got "${backend}".`);
  const batchSize = intFlag(values['batch-size'], 'batch-size') ?? 128;
  const steps = intFlag(values.steps, 'steps') ?? 5;
  const threads =
    values.threads === undefined || values.threads === 'auto' ? 'auto' : (intFlag(values.threads, 'threads') ?? 'auto');
  const info = await initBackend({ backend, threads, quiet: true });
  if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
  if (!registry.has('miner', 'triplet-margin')) registry.use(minersPlugin);
  const model = await buildModel({ kind: 'cnn', filters: [32, 64], embeddingDim: 128 }, [28, 28, 1], 0);
  const loss = registry.create('loss', 'triplet-margin', { margin: 0.2 });
  const miner = registry.create('miner', 'triplet-margin', { margin: 0.2, typeOfTriplets: 'semihard' });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batchSize, 28, 28, 1], 0, 1, 'float32', 1);
  const labels = Int32Array.from({ length: batchSize }, (_, i) => i % 10);
  const step = async () => {
    const t = performance.now();
    const value = optimizer.minimize(
      () =>
        tf.tidy(() => {
          const embeddings = model.apply(x, { training: true }) as tf.Tensor2D;
          const indices = miner.mine({ embeddings, labels });
          return loss.compute({ embeddings, labels, indices });
        }),
      true,
    ) as tf.Scalar;
    await value.data();
    value.dispose();
    return performance.now() - t;
  };
  console.log(
    `backend ${info.backend} (simd ${info.simd}, ${info.threads} thread${info.threads === 1 ? '' : 's'}); batch ${batchSize}`,
  );
  const warm = await step();
  console.log(`warm-up step ${warm.toFixed(0)} ms`);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) times.push(await step());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`training step: median ${median.toFixed(1)} ms over ${steps} steps (min ${(times[0] as number).toFixed(1)} ms)`);
  x.dispose();
  optimizer.dispose();
  model.dispose();
  return 0;
}
