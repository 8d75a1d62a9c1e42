import { createRegistry, type Registry } from './registry.js';

const KEY = Symbol.for('@emb/core/registry@1');

/**
 * The registry shared by the whole application. It lives on `globalThis` under a
 * `Symbol.for` key, so two installed copies of `@emb/core` (a plugin that bundled its own,
 * say) see the same entries.
 */
export const registry: Registry = (() => {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  g[KEY] ??= createRegistry();
  return g[KEY];
})();
