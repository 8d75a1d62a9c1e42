import { registry } from '@emb/core';
import { lossesPlugin } from './losses-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('loss', 'triplet-margin')) registry.use(lossesPlugin);
