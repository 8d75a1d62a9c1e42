import * as tf from '@tensorflow/tfjs-core';
import { gatherNdGradConfig } from './gather-nd-gradient.js';
import { registerGradientIfMissing } from './register-gradient-if-missing.js';
import { stridedSliceGradConfig } from './strided-slice-gradient.js';
import { zeroGradientConfigs } from './zero-gradients.js';

/**
 * Registers every gradient emb needs: all of tfjs-core's (which `@tensorflow/tfjs-core`
 * alone does not register), then the ones tfjs 4.22 lacks on every backend (zeros for
 * comparisons and logical ops, `GatherNd`, `StridedSlice`). Returns what it supplied,
 * as `'gradients:tfjs-core'` and `'gradient:<Kernel>'` entries.
 *
 * @internal
 */
export async function installGradients(): Promise<string[]> {
  const supplied: string[] = [];
  // `Add` stands for the whole set: they are registered together or not at all.
  const hadCoreGradients = tf.getGradient(tf.Add) != null;
  // The build rewrites this specifier to `#register-gradients` (package.json#imports):
  // Node gets a copy with tfjs-core's gradient modules bundled in, bundlers the deep import.
  await import('./register-all-gradients.js');
  if (!hadCoreGradients) supplied.push('gradients:tfjs-core');
  for (const config of [...zeroGradientConfigs(), gatherNdGradConfig, stridedSliceGradConfig]) {
    if (registerGradientIfMissing(config)) supplied.push(`gradient:${config.kernelName}`);
  }
  return supplied;
}
