import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { embedItems } from './embed-items.js';
import { loadLayersModel, saveLayersModel } from './model-files.js';

describe('model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-model-'));
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('buildModel makes the demo CNN: two conv + pool blocks and a 128-d dense embedding', async () => {
    const model = await buildModel({ kind: 'cnn', filters: [32, 64], embeddingDim: 128 }, [28, 28, 1], 0);
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
    ]);
    expect(model.outputs[0]?.shape).toEqual([null, 128]);
    model.dispose();
  });

  it('buildModel initialises the same weights from the same seed', async () => {
    const a = await buildModel({ kind: 'dense', hidden: [8], embeddingDim: 4 }, [6], 3);
    const b = await buildModel({ kind: 'dense', hidden: [8], embeddingDim: 4 }, [6], 3);
    expect(Array.from(a.getWeights()[0]?.dataSync() ?? [])).toEqual(Array.from(b.getWeights()[0]?.dataSync() ?? []));
    a.dispose();
    b.dispose();
    const linear = await buildModel({ kind: 'dense', hidden: [], embeddingDim: 3 }, [5], 0);
    expect(linear.outputs[0]?.shape).toEqual([null, 3]);
    linear.dispose();
  });

  it('saveLayersModel writes model.json + weights.bin that loadLayersModel reads back to the same embeddings', async () => {
    const before = tf.memory().numTensors;
    const model = await buildModel({ kind: 'cnn', filters: [4], embeddingDim: 8 }, [10, 10, 1], 1);
    await saveLayersModel(model, join(dir, 'm'));
    const json = JSON.parse(readFileSync(join(dir, 'm', 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const again = await loadLayersModel(join(dir, 'm'));
    const items = Float32Array.from({ length: 3 * 100 }, (_, i) => (i % 17) / 17);
    const e1 = embedItems(model, items, [10, 10, 1], { batchSize: 2 });
    const e2 = embedItems(again, items, [10, 10, 1]);
    expect(e1.count).toBe(3);
    expect(e1.dim).toBe(8);
    expect(Array.from(e2.vectors)).toEqual(Array.from(e1.vectors));
    const n = embedItems(model, items, [10, 10, 1], { normalize: true });
    expect(Math.hypot(...n.vectors.subarray(0, 8))).toBeCloseTo(1, 5);
    model.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadLayersModel says NOT_FOUND for a folder without a model', async () => {
    await expect(loadLayersModel(join(dir, 'nothing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
