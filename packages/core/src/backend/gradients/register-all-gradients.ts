/**
 * Registers every gradient tfjs-core ships (`Add`, `MatMul`, `Conv2D`, ...) with the engine.
 *
 * `@tensorflow/tfjs-core` alone registers none. Bundlers and vitest resolve this deep import
 * fine; plain `node` does not (tfjs-core's ESM dist uses extensionless imports), so the
 * published build compiles this file twice: for browsers/bundlers as is, and for Node with
 * the gradient modules bundled in (see `tsdown.config.ts` and the `#register-gradients`
 * entry of `package.json#imports`). Importing it twice is harmless: registration is a map set.
 *
 * @internal
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
