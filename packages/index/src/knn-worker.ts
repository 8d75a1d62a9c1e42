// A worker thread of `enableWorkerThreads` (`@emb/index/node`): its own tfjs WASM backend,
// claiming tiles of a symmetric self k-NN from a shared counter and sending back its top-k.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { SelfKnnPart, selfKnnTiles } from './self-knn-part.js';

/** A job: shared data and the shared tile counter. @internal */
export interface SelfKnnJob {
  readonly data: SharedArrayBuffer;
  readonly counter: SharedArrayBuffer;
  readonly n: number;
  readonly dim: number;
  readonly k: number;
  readonly blockRows: number;
}

const port = parentPort;
if (port) {
  await tf.setBackend('wasm');
  await tf.ready();
  port.on('message', (job: SelfKnnJob) => {
    try {
      const data = new Float32Array(job.data, 0, job.n * job.dim);
      const counter = new Int32Array(job.counter);
      const part = new SelfKnnPart(data, job.n, job.dim, job.k, job.blockRows);
      const tiles = selfKnnTiles(part.blocks);
      try {
        for (let t = Atomics.add(counter, 0, 1); 2 * t < tiles.length; t = Atomics.add(counter, 0, 1)) {
          part.runTile(tiles[2 * t] as number, tiles[2 * t + 1] as number);
        }
      } finally {
        part.dispose();
      }
      part.top.reduceToK();
      const { cap, scores, indices, sizes } = part.top;
      port.postMessage({ cap, scores, indices, sizes }, [
        scores.buffer as ArrayBuffer,
        indices.buffer as ArrayBuffer,
        sizes.buffer as ArrayBuffer,
      ]);
    } catch (error) {
      port.postMessage({ error: String((error as Error)?.stack ?? error) });
    }
  });
  port.postMessage({ ready: true });
}
