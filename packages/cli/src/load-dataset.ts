import { resolve } from 'node:path';
import { idxDataset, type LabelledDataset, takePerClass } from '@emb/datasets';
import { loadFashionMnist, loadIdxFile, loadImageFolder, loadMnistDigits } from '@emb/datasets/node';
import type { EmbConfig } from './emb-config.js';

/** The dataset part of a config. */
export type DatasetSpec = EmbConfig['dataset'];

/**
 * Loads the dataset a config names; relative paths are resolved against `baseDir` (the
 * config file's folder). `perClass` keeps the first images of each class.
 */
export async function loadDataset(spec: DatasetSpec, baseDir: string): Promise<LabelledDataset> {
  let ds: LabelledDataset;
  switch (spec.name) {
    case 'mnist-digits':
      return loadMnistDigits(spec.perClass === undefined ? {} : { perClass: spec.perClass });
    case 'fashion-mnist':
      ds = await loadFashionMnist({ split: spec.split, ...(spec.dir === undefined ? {} : { dir: resolve(baseDir, spec.dir) }) });
      break;
    case 'idx':
      ds = await idxDataset(await loadIdxFile(resolve(baseDir, spec.images)), await loadIdxFile(resolve(baseDir, spec.labels)), {
        name: 'idx',
        ...(spec.classNames === undefined ? {} : { classNames: spec.classNames }),
      });
      break;
    case 'image-folder':
      ds = await loadImageFolder(resolve(baseDir, spec.dir), {
        channels: spec.channels,
        ...(spec.width === undefined ? {} : { width: spec.width }),
        ...(spec.height === undefined ? {} : { height: spec.height }),
        ...(spec.perClass === undefined ? {} : { maxPerClass: spec.perClass }),
      });
      return ds;
  }
  return spec.perClass === undefined ? ds : takePerClass(ds, spec.perClass);
}
