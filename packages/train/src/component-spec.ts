/**
 * A registry component by name, with options: `'triplet-margin'` or
 * `{ name: 'triplet-margin', options: { margin: 0.1 } }`. `fit` creates it with the shared
 * registry (install plugins first: `registry.use(lossesPlugin)`).
 */
export type ComponentSpec = string | { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };
