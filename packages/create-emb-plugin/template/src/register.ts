import { registry } from '@emb/core';
import { __IDENT__Plugin } from './__SHORT__-plugin.js';

// The one side-effecting module of this package: installs its entries in the shared registry.
if (!registry.has('loss', '__PREFIX__/simple-pair')) registry.use(__IDENT__Plugin);
