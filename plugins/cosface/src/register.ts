import { registry } from '@emb/core';
import { cosFacePlugin } from './cos-face-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('loss', 'emb/cos-face')) registry.use(cosFacePlugin);
