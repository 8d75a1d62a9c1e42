import * as tf from '@tensorflow/tfjs-core';
import { EmbError, quote } from '../errors.js';
import { installGradients } from './gradients/install-gradients.js';
import { installWasmKernels } from './kernels/install-wasm-kernels.js';
import { patchState } from './patch-state.js';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * `'wasm'` (default): the WASM backend, with SIMD where the runtime has it.
   * `'cpu'`: the plain-JS reference backend, slow; for debugging and cross-checks only.
   * It needs the optional peer `@tensorflow/tfjs-backend-cpu` and prints a warning.
   */
  readonly backend?: 'wasm' | 'cpu';
  /**
   * Where the `.wasm` binaries are served from, for browser bundles: a URL prefix ending in
   * `/`, or a map from file name (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`,
   * `tfjs-backend-wasm-threaded-simd.wasm`) to URL. Passed to tfjs's `setWasmPaths`; only
   * effective before the wasm backend first starts. Default: next to the script (Node finds
   * them in `node_modules` by itself).
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /**
   * Threads the wasm backend computes with in Node: a count from 1 to 4, or `'auto'` (the
   * machine's available parallelism, at most 4). Default `1`, which is what tfjs does in Node
   * by itself. More than 1 starts tfjs's multi-threaded SIMD build (matrix products and
   * convolutions split across threads; results are bit-identical, the split never changes an
   * accumulation order) at the cost of about 0.5 s and 100 MB at start-up for its worker pool.
   * Only effective before the wasm backend first starts. Ignored in browsers, where tfjs
   * chooses by itself (threads when the page is cross-origin isolated).
   */
  readonly threads?: number | 'auto';
  /** Silence the warning printed when the `cpu` backend is chosen. Default `false`. */
  readonly quiet?: boolean;
}

/** What {@link initBackend} started, and what it supplied to TensorFlow.js. */
export interface BackendInfo {
  /** The backend now active in TensorFlow.js. */
  readonly backend: 'wasm' | 'cpu';
  /** Whether the wasm backend runs its SIMD build (always `false` on `cpu`). */
  readonly simd: boolean;
  /** Threads the backend computes with (see {@link InitBackendOptions.threads}). */
  readonly threads: number;
  /**
   * What emb supplied to tfjs, so a caller can see what changed: `'gradients:tfjs-core'`
   * (tfjs-core's own gradients, when nothing had registered them yet), `'gradient:<Kernel>'`
   * (gradients tfjs lacks, e.g. `'gradient:Greater'`), `'kernel:wasm:<Kernel>'` (wasm kernels
   * added, e.g. `Conv2DBackpropFilter`, or wrapped because the stock one is slow, `BatchMatMul`,
   * `Conv2DBackpropInput`, `MaxPoolGrad`). Process-wide and cumulative.
   */
  readonly patches: readonly string[];
}

/**
 * Starts TensorFlow.js on a backend that can train, and makes it able to: the WASM backend
 * (SIMD) by default, `cpu` only when asked for.
 *
 * tfjs-core alone registers no gradients, lacks a few (comparisons, `GatherNd`,
 * `StridedSlice`), and tfjs-backend-wasm 4.22 lacks kernels that backward passes call
 * (`Conv2DBackpropFilter`, `UnsortedSegmentSum` for `tf.gather`, the depthwise-conv
 * backprops), runs transposed matMuls ~15x slower than plain ones and a conv's input gradient
 * and max-pool gradient with naive loops (most of a CNN training step). `initBackend` supplies
 * all of these (missing ones only where tfjs has none; slow ones wrapped, the stock kernel kept
 * as the fallback), once per process: calling it again is cheap and
 * returns the same patches (it may switch the active backend).
 *
 * @param options `backend` (default `'wasm'`), `wasmPaths` (default: next to the script),
 *   `quiet` (default `false`).
 * @returns The active backend, whether SIMD is on, the thread count and the patches applied.
 * @throws {EmbError} `BACKEND` if `backend` is not `'wasm'` or `'cpu'`, if
 *   `@tensorflow/tfjs-backend-cpu` is missing for `'cpu'`, or if the backend fails to start
 *   (typically `.wasm` files not served where `wasmPaths` says).
 *
 * @example
 * import { initBackend } from '@emb/core';
 * const { backend, simd, patches } = await initBackend();
 * // 'wasm', true, ['gradients:tfjs-core', 'gradient:Greater', ..., 'kernel:wasm:Conv2DBackpropFilter', ...]
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const backend = options.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') {
    throw new EmbError('BACKEND', `initBackend: backend must be 'wasm' or 'cpu', got ${quote(backend)}.`, { backend });
  }
  const threads = threadCount(options.threads);
  if (backend === 'cpu') await loadCpuBackend(options.quiet === true);
  else await loadWasmBackend(options.wasmPaths, threads);

  const state = patchState();
  state.gradientsPromise ??= installGradients().catch((error: unknown) => {
    state.gradientsPromise = undefined; // let a later call retry
    throw error;
  });
  state.gradients = await state.gradientsPromise;

  let started: boolean;
  try {
    started = await tf.setBackend(backend);
    await tf.ready();
  } catch (cause) {
    throw backendError(backend, cause);
  }
  if (!started || tf.getBackend() !== backend) throw backendError(backend);

  if (backend === 'wasm') state.wasmKernels ??= installWasmKernels();

  const patches = [...state.gradients, ...(backend === 'wasm' ? (state.wasmKernels ?? []) : [])];
  return { backend, ...(await capabilities(backend)), patches };
}

function threadCount(threads: InitBackendOptions['threads']): number | 'auto' {
  if (threads === undefined) return 1;
  if (threads === 'auto') return threads;
  if (!Number.isInteger(threads) || threads < 1 || threads > 4) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `initBackend: threads must be an integer from 1 to 4 or 'auto', got ${quote(threads)}.`,
      { threads },
    );
  }
  return threads;
}

async function loadWasmBackend(wasmPaths: InitBackendOptions['wasmPaths'], threads: number | 'auto'): Promise<void> {
  // Imported here, not at the top: importing @emb/core must not register a backend.
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (cause) {
    throw new EmbError(
      'BACKEND',
      'initBackend: the wasm backend needs the package @tensorflow/tfjs-backend-wasm; install it ' +
        '(same version as @tensorflow/tfjs-core).',
      { backend: 'wasm' },
      { cause },
    );
  }
  // setWasmPaths only matters (and is only allowed) before the backend first starts.
  // `registry` holds started backends only (tf.findBackend would start it).
  if (threads !== 1 && tf.engine().registry.wasm == null) {
    try {
      // The build rewrites this specifier to `#threaded-wasm` (package.json#imports): Node gets
      // the loader, browsers a no-op.
      const { registerThreadedWasm } = await import('./threads/threaded-wasm.js');
      await registerThreadedWasm(threads);
    } catch (cause) {
      throw backendError('wasm', cause);
    }
  }
  if (wasmPaths === undefined || tf.engine().registry.wasm != null) return;
  try {
    wasm.setWasmPaths(wasmPaths as string | Record<string, string>);
  } catch (cause) {
    throw backendError('wasm', cause);
  }
}

async function loadCpuBackend(quiet: boolean): Promise<void> {
  if (!quiet) {
    console.warn(
      "@emb/core: using the 'cpu' backend, which is much slower than 'wasm'. " +
        'Use it for debugging and cross-checks; pass { quiet: true } to silence this warning.',
    );
  }
  try {
    // An optional peer: only loaded (and only required) when asked for.
    await import('@tensorflow/tfjs-backend-cpu');
  } catch (cause) {
    throw new EmbError(
      'BACKEND',
      "initBackend: backend 'cpu' needs the package @tensorflow/tfjs-backend-cpu; install it " +
        "(same version as @tensorflow/tfjs-core) or use backend 'wasm'.",
      { backend: 'cpu' },
      { cause },
    );
  }
}

async function capabilities(backend: 'wasm' | 'cpu'): Promise<{ simd: boolean; threads: number }> {
  if (backend === 'cpu') return { simd: false, threads: 1 };
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The count the backend actually started with (1 without threads, e.g. in Node).
  const threads = Math.max(1, wasm.getThreadsCount());
  return { simd, threads };
}

function backendError(backend: 'wasm' | 'cpu', cause?: unknown): EmbError {
  const hint =
    backend === 'wasm'
      ? " Check that the .wasm files are served where 'wasmPaths' points (browser), or call initBackend({ backend: 'cpu' })."
      : '';
  const reason = cause === undefined ? '' : ` (${cause instanceof Error ? cause.message : quote(cause)})`;
  return new EmbError(
    'BACKEND',
    `initBackend: the '${backend}' backend failed to start${reason}.${hint}`,
    { backend },
    { cause },
  );
}
