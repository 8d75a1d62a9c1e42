export { examplePlugin, plugin } from './example-plugin.js';
export { type SimplePairLossOptions, simplePairLoss, simplePairLossOptions } from './simple-pair-loss.js';
