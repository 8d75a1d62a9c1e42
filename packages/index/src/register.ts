import { registry } from '@emb/core';
import { indexPlugin } from './index-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('index', 'exact')) registry.use(indexPlugin);
