export { type CloseOptions, closeness, expectClose, flatten, type NumericLike } from './expect-close.js';
