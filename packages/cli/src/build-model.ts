import { createRng, EmbError, quote } from '@emb/core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EmbConfig } from './emb-config.js';
import { loadLayersModel } from './model-files.js';

/** The model part of a config. */
export type ModelSpec = EmbConfig['model'];

/**
 * Builds the embedding network a config names, for inputs of `inputShape` (one item, e.g.
 * `[28, 28, 1]`), with weights initialised from `seed`:
 *
 * - `cnn`: per entry of `filters` a 3x3 conv (ReLU) and a 2x2 max-pool, then flatten and a
 *   dense layer of `embeddingDim` units: the embedding (default `[32, 64]`, 128: the network
 *   of the benchmarks);
 * - `dense`: flatten, dense ReLU layers of `hidden` units, a dense `embeddingDim` output;
 * - `layers`: a saved tfjs-layers model (model.json + weights), e.g. from an earlier run.
 *
 * @example
 * const model = await buildModel({ kind: 'cnn', filters: [32, 64], embeddingDim: 128 }, [28, 28, 1], 0);
 */
export async function buildModel(
  spec: ModelSpec,
  inputShape: readonly number[],
  seed: number | string,
): Promise<tfl.LayersModel> {
  const rng = createRng(`${seed}/model`);
  const init = () => tfl.initializers.glorotUniform({ seed: rng.int(2 ** 31) });
  if (spec.kind === 'layers') {
    const model = await loadLayersModel(spec.path);
    const expected = model.inputs[0]?.shape.slice(1);
    if (expected && JSON.stringify(expected) !== JSON.stringify(inputShape)) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `The model at ${quote(spec.path)} takes inputs ${quote(expected)} but the dataset's items are ${quote(inputShape)}.`,
        { expected, actual: inputShape },
      );
    }
    return model;
  }
  const layers: tfl.layers.Layer[] = [];
  if (spec.kind === 'cnn') {
    if (inputShape.length !== 3) {
      throw new EmbError(
        'SHAPE_MISMATCH',
        `model.kind "cnn" needs image items [height, width, channels], but the dataset's items are ${quote(inputShape)}; use model.kind "dense".`,
        { inputShape },
      );
    }
    spec.filters.forEach((filters, i) => {
      layers.push(
        tfl.layers.conv2d({
          ...(i === 0 ? { inputShape: [...inputShape] } : {}),
          filters,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: init(),
          name: `conv${i + 1}`,
        }),
        tfl.layers.maxPooling2d({ poolSize: 2, name: `pool${i + 1}` }),
      );
    });
    layers.push(tfl.layers.flatten({ name: 'flatten' }));
  } else {
    // Flatten only items of rank 2 or more (tfjs-layers' flatten refuses plain vectors).
    if (inputShape.length > 1) layers.push(tfl.layers.flatten({ inputShape: [...inputShape], name: 'flatten' }));
    spec.hidden.forEach((units, i) => {
      layers.push(
        tfl.layers.dense({
          ...(layers.length === 0 ? { inputShape: [...inputShape] } : {}),
          units,
          activation: 'relu',
          kernelInitializer: init(),
          name: `hidden${i + 1}`,
        }),
      );
    });
  }
  layers.push(
    tfl.layers.dense({
      ...(layers.length === 0 ? { inputShape: [...inputShape] } : {}),
      units: spec.embeddingDim,
      kernelInitializer: init(),
      name: 'embedding',
    }),
  );
  return tfl.sequential({ layers, name: `emb_${spec.kind}` });
}
