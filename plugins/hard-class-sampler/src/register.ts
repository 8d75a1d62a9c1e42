import { registry } from '@emb/core';
import { hardClassSamplerPlugin } from './hard-class-sampler-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('sampler', 'emb/hard-class')) registry.use(hardClassSamplerPlugin);
