import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The conformance suite starts the wasm backend and checks gradients on two backends.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
