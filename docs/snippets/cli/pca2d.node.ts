// Node only (@emb/cli reads files): the 2-D projection the demo report draws.
import { pca2d } from '@emb/cli';

const { points, explained } = pca2d(new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3.5]), 4, 3);
console.log(`points: ${[...points].map((v) => v.toFixed(2)).join(' ')}`);
console.log(`explained: ${explained.map((v) => v.toFixed(3)).join(' ')}`);
