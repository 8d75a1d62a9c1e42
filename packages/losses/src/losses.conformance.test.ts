import type { RegistryEntry } from '@emb/core';
import { type DescribeLossOptions, describeLoss } from '@emb/testkit';
import { lossesPlugin, meanReducer } from './index.js';

// Every built-in loss passes the same conformance suite a third-party plugin runs.
// Per-loss settings: options a loss requires, and the checks that do not apply to it.
const settings: Record<string, DescribeLossOptions> = {
  'proxy-anchor': { options: { numClasses: 3, embeddingSize: 6 }, ignoresIndices: true, noRefEmbeddings: true },
  'arc-face': {
    options: { numClasses: 3, embeddingSize: 6 },
    ignoresIndices: true,
    noRefEmbeddings: true,
    gradientTolerance: 5e-2,
  },
  'fast-ap': { ignoresIndices: true, noRefEmbeddings: true, finiteDifferenceStep: 1e-3 },
  'n-pairs': { orderDependent: true, noRefEmbeddings: true },
  circle: { gradientTolerance: Number.POSITIVE_INFINITY }, // detached weights: not the derivative of the value (PML)
};

for (const entry of lossesPlugin.entries.filter((e) => e.kind === 'loss')) {
  describeLoss(entry as RegistryEntry<'loss', never>, {
    leakCalls: 100,
    finiteDifferenceOptions: { reducer: meanReducer() },
    ...settings[entry.name],
  });
}
