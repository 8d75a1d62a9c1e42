import type { Distance } from './distance.js';
import type { Index } from './index-contract.js';
import type { Loss, Reducer } from './loss.js';
import type { Miner } from './miner.js';
import type { Sampler } from './sampler.js';
import type { SpecificationVersion } from './specification-version.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** What each registry kind creates. */
export interface RegistryKinds {
  loss: Loss;
  miner: Miner;
  sampler: Sampler;
  distance: Distance;
  reducer: Reducer;
  index: Index;
}

export type RegistryKind = keyof RegistryKinds;

/**
 * A registry entry: data describing how to build one component. `options` is any
 * Standard Schema (valibot, zod, arktype, ...); `create` receives the validated output.
 */
export interface RegistryEntry<K extends RegistryKind = RegistryKind, O = Record<string, unknown>> {
  readonly kind: K;
  /** Built-ins use kebab-case (`'triplet-margin'`); third parties prefix their package (`'acme/arc-face'`). */
  readonly name: string;
  readonly description?: string;
  readonly options: StandardSchemaV1<unknown, O>;
  create(options: O): RegistryKinds[K];
}

/**
 * An entry of any kind and option type, as stored in a plugin. (`any` because `create` is
 * contravariant in its options: no narrower type admits every entry.)
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyRegistryEntry = RegistryEntry<RegistryKind, any>;

/** A package's contribution to the registry, installed with `registry.use(plugin)`. */
export interface Plugin {
  /** The npm package name. */
  readonly name: string;
  readonly version?: string;
  readonly specificationVersion: number;
  readonly entries: readonly AnyRegistryEntry[];
}

/** Helper that checks an entry's types without changing it. */
export function defineEntry<K extends RegistryKind, O>(entry: RegistryEntry<K, O>): RegistryEntry<K, O> {
  return Object.freeze(entry);
}

/** Helper that checks a plugin's types without changing it. */
export function definePlugin(plugin: Plugin): Plugin {
  return Object.freeze({ ...plugin, entries: Object.freeze([...plugin.entries]) });
}

export type { SpecificationVersion };
