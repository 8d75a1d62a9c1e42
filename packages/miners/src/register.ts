import { registry } from '@emb/core';
import { minersPlugin } from './miners-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('miner', 'batch-hard')) registry.use(minersPlugin);
