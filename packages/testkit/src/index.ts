export { type DescribeLossOptions, describeLoss } from './describe-loss.js';
export { type CloseOptions, closeness, expectClose, flatten, type NumericLike } from './expect-close.js';
export { finiteDifferences } from './finite-differences.js';
