import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { EmbError, quote } from '../errors.js';

export interface InitBackendOptions {
  /** `'wasm'` (default) or `'cpu'` (slow; for debugging and cross-checks, with a warning). */
  readonly backend?: 'wasm' | 'cpu';
  /** Where the `.wasm` files are served from (browser bundles); passed to `setWasmPaths`. */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /** Silence the warning printed when the `cpu` backend is chosen. */
  readonly quiet?: boolean;
}

export interface BackendInfo {
  readonly backend: 'wasm' | 'cpu';
  readonly simd: boolean;
  readonly threads: number;
  /** The kernels and gradients emb supplied (names), so a caller can see what changed. */
  readonly patches: readonly string[];
}

/**
 * Starts TensorFlow.js on a backend that can train: the WASM backend (SIMD) by default.
 * (Placeholder: the patches are added in backend/*.)
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const backend = options.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') {
    throw new EmbError('BACKEND', `initBackend: backend must be 'wasm' or 'cpu', got ${quote(backend)}.`, { backend });
  }
  await tf.setBackend(backend);
  await tf.ready();
  return { backend, simd: false, threads: 1, patches: [] };
}
