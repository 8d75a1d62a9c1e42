import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: 'esm',
  dts: true,
  sourcemap: true,
  clean: true,
  // usearch is a native Node addon: this package runs in Node only.
  platform: 'node',
  // .js / .d.ts names, as the exports map and the other packages use.
  fixedExtension: false,
});
