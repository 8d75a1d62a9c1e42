import '@tensorflow/tfjs-backend-cpu';
import { createRng, initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { brightness } from './brightness.js';
import { composeAugmentations } from './compose-augmentations.js';
import { gaussianNoise } from './gaussian-noise.js';
import { horizontalFlip } from './horizontal-flip.js';
import { randomCrop } from './random-crop.js';

const images = () =>
  tf.tensor4d(
    Float32Array.from({ length: 3 * 5 * 4 * 2 }, (_, i) => i + 1),
    [3, 5, 4, 2],
  );

describe.each(['wasm', 'cpu'] as const)('augmentations on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it('randomCrop shifts each image by an offset in [-padding, padding] and fills the border', () => {
    const x = images();
    const out = tf.tidy(() => randomCrop({ padding: 2, fill: -1 })(x, createRng(3)));
    expect(out.shape).toEqual(x.shape);
    const src = x.arraySync();
    const got = out.arraySync();
    // Recover each image's offset from the first non-fill pixel and check every pixel against it.
    for (let b = 0; b < 3; b++) {
      let match = false;
      for (let oy = -2; oy <= 2 && !match; oy++) {
        for (let ox = -2; ox <= 2 && !match; ox++) {
          match = got[b]!.every((row, y) =>
            row.every((px, xx) => {
              const sy = y + oy;
              const sx = xx + ox;
              const inside = sy >= 0 && sy < 5 && sx >= 0 && sx < 4;
              return px.every((v, c) => v === (inside ? src[b]![sy]![sx]![c] : -1));
            }),
          );
        }
      }
      expect(match).toBe(true);
    }
    tf.dispose([x, out]);
  });

  it('horizontalFlip mirrors exactly the images it draws, and never with probability 0', () => {
    const x = images();
    const out = tf.tidy(() => horizontalFlip({ probability: 0.5 })(x, createRng(1)));
    const flipped = tf.reverse(x, 2);
    const src = x.arraySync();
    const fl = flipped.arraySync();
    const got = out.arraySync();
    const kinds = got.map((img, b) =>
      JSON.stringify(img) === JSON.stringify(src[b]) ? 'same' : JSON.stringify(img) === JSON.stringify(fl[b]) ? 'flip' : 'other',
    );
    expect(kinds).not.toContain('other');
    const never = tf.tidy(() => horizontalFlip({ probability: 0 })(x, createRng(1)));
    expect(never.arraySync()).toEqual(src);
    tf.dispose([x, out, flipped, never]);
  });

  it('gaussianNoise and brightness replay from the rng state, on every backend alike', () => {
    const x = images();
    const augment = composeAugmentations([gaussianNoise({ stddev: 0.5 }), brightness({ maxDelta: 0.3 })]);
    const a = tf.tidy(() => augment(x, createRng(9)));
    const b = tf.tidy(() => augment(x, createRng(9)));
    const c = tf.tidy(() => augment(x, createRng(10)));
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    // brightness alone moves every pixel of an image by the same delta, |delta| <= maxDelta.
    const lit = tf.tidy(() => tf.sub(brightness({ maxDelta: 0.3 })(x, createRng(2)), x));
    for (const img of lit.arraySync() as number[][][][]) {
      const values = img.flat(2) as number[];
      expect(Math.max(...values) - Math.min(...values)).toBeLessThan(1e-5);
      expect(Math.abs(values[0] as number)).toBeLessThanOrEqual(0.3 + 1e-6);
    }
    tf.dispose([x, a, b, c, lit]);
  });

  it('augmentations create no lasting tensors inside tf.tidy and reject non-image input', () => {
    const x = images();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      composeAugmentations([randomCrop(), horizontalFlip(), brightness(), gaussianNoise()])(x, createRng(1));
    });
    expect(tf.memory().numTensors).toBe(before);
    const flat = tf.ones([2, 3]);
    expect(() => randomCrop()(flat as unknown as tf.Tensor4D, createRng(1))).toThrow(/images \[B, H, W, C\]/);
    expect(() => randomCrop({ padding: -1 })).toThrow(/padding/);
    tf.dispose([x, flat]);
  });
});
