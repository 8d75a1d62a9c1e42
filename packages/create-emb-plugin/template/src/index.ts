export { __IDENT__Plugin, plugin } from './__SHORT__-plugin.js';
export { type SimplePairLossOptions, simplePairLoss, simplePairLossOptions } from './simple-pair-loss.js';
