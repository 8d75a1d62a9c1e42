import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: 'esm',
  dts: true,
  sourcemap: true,
  clean: true,
  platform: 'neutral',
  // `node:` built-ins are only imported by the `./node` entry; the main entry stays browser-safe.
  deps: { neverBundle: [/^node:/] },
});
