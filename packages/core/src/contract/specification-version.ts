/**
 * The version of the emb interface contract (the shapes of `Distance`, `Loss`, `Miner`,
 * `Sampler`, `Index` and registry entries). Plugins declare the version they were built
 * against; the registry refuses a plugin whose version is not in
 * {@link supportedSpecificationVersions}.
 */
export const specificationVersion = 1 as const;

/** Contract versions this build of `@emb/core` accepts from plugins. */
export const supportedSpecificationVersions: readonly number[] = Object.freeze([1]);

export type SpecificationVersion = typeof specificationVersion;
