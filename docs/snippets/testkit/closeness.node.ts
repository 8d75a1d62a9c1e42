// Node only (@emb/testkit runs under vitest): compare numbers with the golden tolerances.
import { closeness } from '@emb/testkit';

console.log(`close: ${closeness([1, 2.0001], [1, 2], { rtol: 1e-3 }) === null}`);
console.log(closeness([1, 2.5], [1, 2], { rtol: 1e-3, label: 'demo' }));
