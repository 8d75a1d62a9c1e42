import { createRng, type Rng } from '@emb/core';

/** The generator a random miner draws from: the given `rng`, or a new one from `seed`. */
export function resolveRng(options: { readonly seed: number | string; readonly rng?: Rng | undefined }): Rng {
  return options.rng ?? createRng(options.seed);
}
