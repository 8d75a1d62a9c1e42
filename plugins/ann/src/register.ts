import { registry } from '@emb/core';
import { annPlugin } from './ann-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('index', 'hnsw')) registry.use(annPlugin);
