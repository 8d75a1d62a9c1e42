// Enrol vectors with labels, then find each query's nearest neighbours.
import { initBackend } from '@emb/core';
import { exactIndex } from '@emb/index';

await initBackend();
const index = exactIndex({ dim: 2, distance: 'l2' });
await index.add(
  [
    [0, 0],
    [0, 1],
    [5, 5],
    [5, 6],
  ],
  { labels: [0, 0, 1, 1] },
);
const [hit] = await index.search([[4.5, 5.2]], 2);
console.log(`ids: ${hit!.ids.join(' ')}`);
console.log(`labels: ${hit!.labels.join(' ')}`);
console.log(`distances: ${[...hit!.distances].map((d) => d.toFixed(3)).join(' ')}`);
index.dispose();
