export { type CheckpointOptions, checkpoint, fileCheckpointStore } from './checkpoint.js';
export { type JsonLinesLoggerOptions, jsonLinesLogger } from './json-lines-logger.js';
export { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from './save-checkpoint.js';
