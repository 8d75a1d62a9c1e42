import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEmbError } from '../errors.js';
import { initBackend } from './init-backend.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('initBackend', () => {
  it('starts wasm with SIMD by default, single-threaded in Node, and lists what it supplied', async () => {
    const info = await initBackend();
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1);
    expect(info.patches).toEqual(
      expect.arrayContaining([
        'gradient:Greater',
        'gradient:GatherNd',
        'gradient:StridedSlice',
        'kernel:wasm:Conv2DBackpropFilter',
        'kernel:wasm:UnsortedSegmentSum',
        'kernel:wasm:DepthwiseConv2dNativeBackpropFilter',
        'kernel:wasm:DepthwiseConv2dNativeBackpropInput',
        'kernel:wasm:BatchMatMul',
        'kernel:wasm:Conv2DBackpropInput',
        'kernel:wasm:MaxPoolGrad',
      ]),
    );
    // Gradients tfjs already has are left alone.
    expect(info.patches).not.toContain('gradient:GreaterEqual');
  });

  it('is idempotent: a second call returns the same patches and wraps no kernel twice', async () => {
    const first = await initBackend();
    const matMul = tf.getKernel('BatchMatMul', 'wasm');
    const [second, third] = await Promise.all([initBackend(), initBackend()]);
    expect(second.patches).toEqual(first.patches);
    expect(third.patches).toEqual(first.patches);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(matMul);
  });

  it('registers the gradients that tf.grad needs for common ops', async () => {
    await initBackend();
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, x, false, true))))(tf.tensor2d([1, -2, 3, 4], [2, 2]));
    // relu(x x^T) keeps only the diagonal here, so the gradient is 2x.
    expect(g.arraySync()).toEqual([
      [2, -4],
      [6, 8],
    ]);
  });

  it("uses 'cpu' only when asked, and warns unless quiet", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = await initBackend({ backend: 'cpu' });
    expect(info).toMatchObject({ backend: 'cpu', simd: false, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    expect(info.patches.some((p) => p.startsWith('kernel:wasm:'))).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/slower/);
    await initBackend({ backend: 'cpu', quiet: true });
    expect(warn).toHaveBeenCalledTimes(1);
    await initBackend();
    expect(tf.getBackend()).toBe('wasm');
  });

  it('ignores wasmPaths once the wasm backend has started (tfjs only reads them at start)', async () => {
    await initBackend();
    await expect(initBackend({ wasmPaths: 'https://example.invalid/wasm/' })).resolves.toMatchObject({ backend: 'wasm' });
  });

  it('rejects an unknown backend with a BACKEND error that quotes it', async () => {
    const error = await initBackend({ backend: 'webgl' as 'wasm' }).catch((e: unknown) => e);
    expect(isEmbError(error, 'BACKEND')).toBe(true);
    expect((error as Error).message).toContain('"webgl"');
  });

  it('rejects a thread count outside 1..4 with an INVALID_ARGUMENT error that quotes it', async () => {
    for (const threads of [0, 5, 1.5, Number.NaN]) {
      const error = await initBackend({ threads }).catch((e: unknown) => e);
      expect(isEmbError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain(`got ${String(threads)}`);
    }
  });

  it('keeps the running thread count once the wasm backend has started (tfjs fixes it at start)', async () => {
    await initBackend();
    await expect(initBackend({ threads: 2 })).resolves.toMatchObject({ backend: 'wasm', threads: 1 });
  });
});
