// Hold out whole classes: train on some labels, evaluate on labels the model never saw.
import { classDisjointSplit, inMemoryDataset, takePerClass } from '@emb/datasets';

const labels = Array.from({ length: 30 }, (_, i) => i % 6);
const ds = inMemoryDataset({ x: labels.map((c) => [c, c * 2]), labels });
const { train, test } = classDisjointSplit(ds, { trainClasses: [0, 1, 2, 3] });
console.log(`train classes: ${[...new Set(train.labels)].join(' ')} (${train.size} items)`);
console.log(`test classes: ${[...new Set(test.labels)].join(' ')} (${test.size} items)`);
console.log(`two per class: ${takePerClass(train, 2, { seed: 0 }).size} items`);
