import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers `config` unless the kernel already has a gradient: tfjs (or the user) may
 * ship a better one later, and overriding a registered gradient silently changes training.
 * Returns whether it registered.
 *
 * @internal
 */
export function registerGradientIfMissing(config: tf.GradConfig): boolean {
  if (tf.getGradient(config.kernelName) != null) return false;
  tf.registerGradient(config);
  return true;
}
