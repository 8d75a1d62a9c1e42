// A new class is one `add` away: enrol it by example, no retraining; far queries are 'unknown'.
import { createRng, initBackend } from '@emb/core';
import { exactIndex, knnClassifier } from '@emb/index';

await initBackend();
const rng = createRng(3);
const around = (cx: number, cy: number, n: number) =>
  Array.from({ length: n }, () => [cx + 0.3 * rng.normal(), cy + 0.3 * rng.normal()]);

const index = exactIndex({ dim: 2, distance: 'l2' });
await index.add([...around(0, 0, 5), ...around(3, 0, 5)], { labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] });
const clf = knnClassifier(index, { k: 3, unknownThreshold: 1.5 });
const queries = [
  [0.2, 0.1],
  [0.1, 3.1],
  [9, 9],
];
const show = async () => (await clf.classify(queries)).map((p) => p.label).join(' ');
console.log(`before enrolling class 2: ${await show()}`);
await index.add(around(0, 3, 5), { labels: [2, 2, 2, 2, 2] }); // enrol a new class by example
console.log(`after enrolling class 2:  ${await show()}`);

const points = [...around(0, 0, 20), ...around(3, 0, 20), ...around(0, 3, 20)];
export const plots = [
  { kind: 'scatter', title: 'three classes in the index', points, labels: points.map((_, i) => Math.floor(i / 20)) },
];
index.dispose();
