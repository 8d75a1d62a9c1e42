import { initBackend, isEmbError } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from './create-optimizer.js';

describe('createOptimizer', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('createOptimizer builds adam, sgd (momentum) and rmsprop with PyTorch defaults', () => {
    const adam = createOptimizer('adam') as unknown as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    expect(adam).toMatchObject({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(createOptimizer({ name: 'sgd', options: { learningRate: 0.1 } }).getClassName()).toBe('SGD');
    expect(createOptimizer({ name: 'sgd', options: { momentum: 0.9 } }).getClassName()).toBe('Momentum');
    expect(createOptimizer({ name: 'rmsprop' })).toMatchObject({ learningRate: 0.01, decay: 0.99 });
    const mine = tf.train.adagrad(0.1);
    expect(createOptimizer(mine)).toBe(mine);
    for (const o of [adam as unknown as tf.Optimizer, mine]) o.dispose();
  });

  it('createOptimizer rejects unknown names and bad options, quoting them', () => {
    const message = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return isEmbError(e) ? `${e.code}: ${e.message}` : String(e);
      }
    };
    expect(message(() => createOptimizer('adamw' as never))).toMatch(/^INVALID_OPTION: Unknown optimizer "adamw"/);
    expect(message(() => createOptimizer({ name: 'adam', options: { learningRate: -1 } }))).toMatch(
      /^INVALID_OPTION: .*learningRate.*-1/,
    );
    expect(message(() => createOptimizer({ name: 'sgd', options: { lr: 0.1 } as never }))).toMatch(/^INVALID_OPTION: .*lr/);
  });
});
