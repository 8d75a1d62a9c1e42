// Every random choice in emb replays from a seed.
import { createRng } from '@emb/core';

const rng = createRng(42);
const draws = [rng.next(), rng.next(), rng.next()].map((x) => x.toFixed(4));
console.log(`uniform: ${draws.join(' ')}`);
console.log(`same seed, same draws: ${createRng(42).next().toFixed(4) === draws[0]}`);
console.log(`shuffled: ${rng.shuffle([1, 2, 3, 4, 5, 6]).join(' ')}`);
