import { registry } from '@emb/core';
import { examplePlugin } from './example-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('loss', 'emb/simple-pair')) registry.use(examplePlugin);
