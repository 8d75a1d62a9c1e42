/**
 * What emb has already installed into the TensorFlow.js registries, kept on `globalThis`
 * under a `Symbol.for` key. The kernel and gradient registries are process globals too,
 * so the guard must be one as well: two copies of `@emb/core` (a duplicate install, or
 * the source and the build side by side in a test) then still patch only once.
 *
 * @internal
 */
export interface PatchState {
  /** Names of the gradients supplied (`'gradient:Greater'`, ...); undefined until installed. */
  gradients?: readonly string[];
  /** Names of the wasm kernels supplied (`'kernel:wasm:Conv2DBackpropFilter'`, ...). */
  wasmKernels?: readonly string[];
  /** The gradient install in flight, so concurrent `initBackend` calls share it. */
  gradientsPromise?: Promise<readonly string[]> | undefined;
}

const KEY = Symbol.for('@emb/core/backend-patches');

/** Returns the process-wide patch state, creating it on first use. @internal */
export function patchState(): PatchState {
  const g = globalThis as typeof globalThis & { [KEY]?: PatchState };
  g[KEY] ??= {};
  return g[KEY];
}
