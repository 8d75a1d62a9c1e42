import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbError, quote } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The file names of a saved model, as `tf.loadLayersModel('…/model.json')` expects them. */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves a tfjs-layers model into `dir` as `model.json` + `weights.bin`, the layout
 * `tf.loadLayersModel(url)` reads in a browser (tfjs-node's `file://` handler is not needed).
 *
 * @example
 * await saveLayersModel(model, 'emb-demo-output/model');
 */
export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData =
        artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, MODEL_FILE), JSON.stringify(modelJson));
      await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    }),
  );
}

/**
 * Loads a model saved by {@link saveLayersModel} (or any tfjs-layers `model.json` with one
 * weights file beside it). `path` is the folder or the `model.json` itself.
 *
 * @throws {EmbError} `NOT_FOUND` when there is no model there, `CORRUPT_FILE` when it cannot be read as one.
 */
export async function loadLayersModel(path: string): Promise<tfl.LayersModel> {
  let jsonPath = path;
  try {
    if ((await stat(path)).isDirectory()) jsonPath = join(path, MODEL_FILE);
  } catch (cause) {
    throw new EmbError(
      'NOT_FOUND',
      `No saved model at ${quote(path)}: expected a folder with ${MODEL_FILE} and ${WEIGHTS_FILE}.`,
      { path },
      { cause },
    );
  }
  let json: {
    modelTopology?: object;
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EmbError(
      missing ? 'NOT_FOUND' : 'CORRUPT_FILE',
      `${missing ? 'Cannot find' : 'Cannot parse'} the model file ${quote(jsonPath)}.`,
      { path: jsonPath },
      { cause },
    );
  }
  const manifest = json.weightsManifest ?? [];
  const buffers: Uint8Array[] = [];
  for (const group of manifest) {
    for (const p of group.paths) buffers.push(await readFile(join(dirname(jsonPath), p)));
  }
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  try {
    return await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: weightData.buffer,
        ...(json.format === undefined ? {} : { format: json.format }),
      }),
    );
  } catch (cause) {
    throw new EmbError(
      'CORRUPT_FILE',
      `${quote(basename(jsonPath))} in ${quote(dirname(jsonPath))} is not a loadable tfjs-layers model: ${(cause as Error).message}`,
      { path: jsonPath },
      { cause },
    );
  }
}
