import type { DescribeMinerOptions } from '@emb/testkit';
import { describeMiner } from '@emb/testkit';
import { minersPlugin } from './index.js';

// Every built-in miner passes the suite a third-party miner runs. Per-miner settings: the
// random miners are checked for seeded determinism instead of permutation equivariance.
const settings: Record<string, DescribeMinerOptions> = {
  'distance-weighted': { seedOption: 'seed' },
  'random-pairs': { seedOption: 'seed' },
  'random-triplets': { seedOption: 'seed' },
  'triplet-margin': { badOptions: [{ typeOfTriplets: 'medium' }, { margin: 'wide' }] },
};

for (const entry of minersPlugin.entries.filter((e) => e.kind === 'miner')) {
  describeMiner(entry, { leakCalls: 10, ...settings[entry.name] });
}
