import { registry } from '@emb/core';
import { distancePlugin } from './distance-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('distance', 'lp')) registry.use(distancePlugin);
