export { type CosFaceLossOptions, cosFaceLoss, cosFaceLossOptions } from './cos-face-loss.js';
export { cosFacePlugin, plugin } from './cos-face-plugin.js';
