import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EmbError, quote } from '@emb/core';
import { setSelfKnnExecutor } from './parallel-executor.js';
import { mergeTopK, SELF_BLOCK, SelfKnnPart, selfKnnTiles, type TopKState } from './self-knn-part.js';

let workers: Worker[] = [];
let queue: Promise<unknown> = Promise.resolve();

function once(worker: Worker): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      cleanup();
      if (typeof m.error === 'string') reject(new EmbError('BACKEND', `A k-NN worker thread failed: ${m.error}`));
      else resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new EmbError('BACKEND', `A k-NN worker thread crashed: ${e.message}`, {}, { cause: e }));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}

async function runParallel(data: Float32Array, n: number, dim: number, k: number): Promise<Int32Array> {
  const shared = new SharedArrayBuffer(n * dim * 4);
  new Float32Array(shared).set(data.subarray(0, n * dim));
  const counter = new SharedArrayBuffer(4);
  const pending = workers.map((w) => {
    const reply = once(w);
    w.postMessage({ data: shared, counter, n, dim, k, blockRows: SELF_BLOCK });
    return reply;
  });
  // The main thread claims tiles too, so no core idles while the workers start.
  const part = new SelfKnnPart(data, n, dim, k, SELF_BLOCK);
  const tiles = selfKnnTiles(part.blocks);
  const claim = new Int32Array(counter);
  try {
    for (let t = Atomics.add(claim, 0, 1); 2 * t < tiles.length; t = Atomics.add(claim, 0, 1)) {
      part.runTile(tiles[2 * t] as number, tiles[2 * t + 1] as number);
    }
  } finally {
    part.dispose();
  }
  part.top.reduceToK();
  const others = (await Promise.all(pending)) as unknown as TopKState[];
  return mergeTopK([part.top, ...others], n, k);
}

/**
 * Lends worker threads (Node only) to the accuracy calculator's exact self-retrieval k-NN,
 * the part of `accuracyCalculator().compute()` that dominates its time: each worker runs
 * its own tfjs WASM backend on a share of the tiles. Resolves once the workers are ready;
 * they do not keep the process alive. Without this call everything runs on the main
 * thread (the default, and the only mode in browsers). Returns the number of workers.
 *
 * @param options.threads Worker threads besides the main thread. Default: available cores - 1.
 * @example
 * import { enableWorkerThreads } from '@emb/index/node';
 * await enableWorkerThreads(); // then accuracyCalculator(...).compute(...) uses every core
 */
export async function enableWorkerThreads(options: { readonly threads?: number } = {}): Promise<number> {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) {
    throw new EmbError('INVALID_OPTION', `enableWorkerThreads: threads must be an integer in [0, 64], got ${quote(threads)}.`, {
      option: 'threads',
    });
  }
  await disableWorkerThreads();
  if (threads === 0) return 0;
  const started = Array.from({ length: threads }, () => new Worker(new URL('./knn-worker.js', import.meta.url)));
  try {
    await Promise.all(started.map(once));
  } catch (error) {
    await Promise.all(started.map((w) => w.terminate()));
    throw error;
  }
  for (const w of started) w.unref();
  workers = started;
  setSelfKnnExecutor((data, n, dim, k) => {
    // One job at a time: every worker takes part in each.
    const run = queue.then(() => runParallel(data, n, dim, k));
    queue = run.catch(() => undefined);
    return run;
  });
  return threads;
}

/** Stops the worker threads of {@link enableWorkerThreads}; later calls run on the main thread. */
export async function disableWorkerThreads(): Promise<void> {
  setSelfKnnExecutor(undefined);
  const old = workers;
  workers = [];
  await Promise.all(old.map((w) => w.terminate()));
}
