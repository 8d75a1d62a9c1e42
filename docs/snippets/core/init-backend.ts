// Start TensorFlow.js on the WASM backend with everything training needs.
import { initBackend } from '@emb/core';

const info = await initBackend();
console.log(`backend: ${info.backend}`);
console.log(`gradients supplied: ${info.patches.includes('gradient:Greater')}`);
