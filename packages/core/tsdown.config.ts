import { defineConfig, type UserConfig } from 'tsdown';

/**
 * Three outputs:
 *
 * - `dist/index.js`: the library. TensorFlow.js packages stay external (peers: one engine
 *   per app). Its dynamic import of `./register-all-gradients.js` becomes
 *   `import('#register-gradients')`, which `package.json#imports` resolves per runtime.
 * - `dist/register-gradients.node.js` (`node` condition): tfjs-core's gradient modules and
 *   the internal modules they use, bundled in. Plain Node cannot load
 *   `@tensorflow/tfjs-core/dist/register_all_gradients` (extensionless ESM imports), and
 *   tfjs-core's CJS main ships no gradients. The copies register into the one engine and
 *   registries, which tfjs keeps on the global object; tfjs-layers' Node bundle does the same.
 * - `dist/register-gradients.browser.js` (`default`): just the deep import, which bundlers
 *   resolve, so a browser app loads tfjs-core's gradient modules once, shared with its own.
 */
const gradientsEntry = 'src/backend/gradients/register-all-gradients.ts';
const tfjs = /^@tensorflow\//;

const common = {
  format: 'esm',
  sourcemap: true,
  // package.json has "type": "module": plain .js, so the `imports` targets stay stable.
  outExtensions: () => ({ js: '.js', dts: '.d.ts' }),
} satisfies UserConfig;

export default defineConfig([
  {
    ...common,
    entry: ['src/index.ts'],
    dts: true,
    clean: true,
    platform: 'neutral',
    deps: { neverBundle: [tfjs] },
    plugins: [
      {
        name: 'emb:register-gradients-import',
        resolveId: {
          filter: { id: /register-all-gradients/ },
          handler: (source, importer) =>
            source === './register-all-gradients.js' && importer?.includes('install-gradients')
              ? { id: '#register-gradients', external: true }
              : null,
        },
      },
      {
        // The threaded-wasm loader needs node:fs/os/worker_threads: `#threaded-wasm`
        // (package.json#imports) gives Node the loader and browsers a no-op.
        name: 'emb:threaded-wasm-import',
        resolveId: {
          filter: { id: /threaded-wasm/ },
          handler: (source, importer) =>
            source === './threads/threaded-wasm.js' && importer?.includes('init-backend')
              ? { id: '#threaded-wasm', external: true }
              : null,
        },
      },
    ],
  },
  {
    ...common,
    entry: { 'register-gradients.node': gradientsEntry },
    dts: false,
    // A map of the copied tfjs sources would be 1.9 MB for little use.
    sourcemap: false,
    clean: false,
    platform: 'node',
    deps: {
      // The public entry stays shared; only the deep gradient modules are copied in.
      neverBundle: [/^@tensorflow\/tfjs-core$/],
      alwaysBundle: [/^@tensorflow\/tfjs-core\/dist\//],
      onlyBundle: false,
    },
  },
  {
    ...common,
    entry: {
      'threaded-wasm.node': 'src/backend/threads/threaded-wasm.ts',
      'threaded-wasm.browser': 'src/backend/threads/threaded-wasm.browser.ts',
    },
    dts: false,
    sourcemap: false,
    clean: false,
    platform: 'node',
    deps: { neverBundle: [tfjs] },
  },
  {
    ...common,
    entry: { 'register-gradients.browser': gradientsEntry },
    dts: false,
    sourcemap: false,
    clean: false,
    platform: 'neutral',
    deps: { neverBundle: [tfjs] },
  },
]);
