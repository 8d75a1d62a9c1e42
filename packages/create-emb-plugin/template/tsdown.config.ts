import { defineConfig } from 'tsdown';

// Two entry points: the plugin itself, and `register`, the one module with a side effect
// (it installs the plugin in @emb/core's shared registry on import).
export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: 'esm',
  dts: true,
  sourcemap: true,
  clean: true,
  platform: 'neutral',
});
