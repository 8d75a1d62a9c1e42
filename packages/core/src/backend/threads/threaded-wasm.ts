import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Node side of `initBackend({ threads })`: starts tfjs-backend-wasm's multi-threaded SIMD
 * build under Node, which tfjs 4.22 itself never does there (its `WASM_HAS_MULTITHREAD_SUPPORT`
 * flag is hard-wired to `false` on Node; tensorflow/tfjs#3830).
 *
 * What tfjs's own loader gets wrong on Node, and what this does instead:
 * - It hands Emscripten the pthread worker script and the main script as `blob:` URLs, which
 *   Node's `worker_threads` cannot load. Here the worker script (the string tfjs ships in
 *   `wasm-out/*.worker.js`) is written once to a `.cjs` file in the temp directory, and the
 *   main script is the file on disk.
 * - The wasm side sizes its thread pool once, at start-up, from `os.cpus().length / 2`
 *   (clamped to 1..4) and ignores later requests; `os.cpus` is answered with `2 x threads`
 *   entries for the duration of the start-up only.
 * - Running pthreads hold a reference on the event loop, so a script that finishes never
 *   exits; every pthread worker is unreferenced (they only ever wait for work).
 *
 * Replaces the registered `wasm` backend factory with one that builds `BackendWasm` on the
 * threaded module. Only effective before the wasm backend first starts.
 *
 * @returns `true` if the threaded factory was registered, `false` if the wasm backend had
 *   already started (the thread count can no longer change).
 * @internal
 */
export async function registerThreadedWasm(requested: number | 'auto'): Promise<boolean> {
  const threads = requested === 'auto' ? Math.min(4, os.availableParallelism()) : requested;
  if (threads <= 1 || tf.engine().registry.wasm != null) return false;
  const require = createRequire(import.meta.url);
  const wasmPkg = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  const wasmOut = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const workerScript = workerScriptFile(require, wasmOut);
  const factory = require(mainScript) as (config: Record<string, unknown>) => Promise<EmscriptenModule>;

  const cpus = os.cpus;
  const fake = cpus().slice(0, 1);
  os.cpus = () => Array.from({ length: 2 * threads }, () => fake[0] as os.CpuInfo);
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (path: string) => (path.endsWith('.worker.js') ? workerScript : join(wasmOut, path)),
      mainScriptUrlOrBlob: mainScript,
    });
  } finally {
    os.cpus = cpus;
  }
  unrefWorkers(module.PThread);

  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasmPkg.setThreadsCount(threads);
  tf.removeBackend('wasm');
  // tfjs-backend-wasm registers its factory with priority 2; keep it.
  tf.registerBackend('wasm', () => new wasmPkg.BackendWasm(module as never), 2);
  return true;
}

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => unknown;
  tfjs?: Record<string, unknown>;
  PThread: PThreadLike;
}

interface WorkerLike {
  unref(): void;
  ref(): void;
}

interface PThreadLike {
  unusedWorkers: WorkerLike[];
  runningWorkers: WorkerLike[];
  allocateUnusedWorker(): void;
}

/** Lets the process exit while pool threads wait for work, now and for workers made later. */
function unrefWorkers(pthread: PThreadLike): void {
  const detach = (w: WorkerLike) => {
    w.unref();
    w.ref = () => {};
  };
  for (const w of [...pthread.unusedWorkers, ...pthread.runningWorkers]) detach(w);
  const allocate = pthread.allocateUnusedWorker.bind(pthread);
  pthread.allocateUnusedWorker = () => {
    allocate();
    const w = pthread.unusedWorkers.at(-1);
    if (w !== undefined) detach(w);
  };
}

/**
 * The pthread worker script as a file (tfjs ships it as a string). Named by a hash of its
 * content so versions never mix; written to a unique name and renamed, so concurrent
 * processes never see half a file.
 */
function workerScriptFile(require: NodeJS.Require, wasmOut: string): string {
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // tfjs escapes newlines the same way before turning the string into a Blob.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  let hash = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) hash = Math.imul(hash ^ source.charCodeAt(i), 0x01000193) >>> 0;
  const file = join(os.tmpdir(), `emb-tfjs-wasm-pthread-${hash.toString(16)}.cjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return file;
}
