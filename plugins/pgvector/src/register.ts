import { registry } from '@emb/core';
import { pgvectorPlugin } from './pgvector-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('index', 'pgvector')) registry.use(pgvectorPlugin);
