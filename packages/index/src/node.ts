// The Node-only entry (`@emb/index/node`): file persistence. Kept apart so that the main
// entry never imports `node:fs` and stays browser-safe.
export { loadIndex, saveIndex } from './save-index.js';
