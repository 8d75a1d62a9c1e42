// The Node-only entry (`@emb/index/node`): file persistence and worker threads. Kept apart
// so that the main entry never imports `node:` modules and stays browser-safe.
export { loadIndex, saveIndex } from './save-index.js';
export { disableWorkerThreads, enableWorkerThreads } from './worker-threads.js';
export { type WriteFileAtomicOptions, writeFileAtomic } from './write-file-atomic.js';
