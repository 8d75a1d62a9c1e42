import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/register.ts', 'src/knn-worker.ts'],
  format: 'esm',
  dts: true,
  sourcemap: true,
  clean: true,
  platform: 'neutral',
  // `node:` built-ins are only imported by the `./node` entry.
  deps: { neverBundle: [/^node:/, /^@tensorflow\//] },
});
