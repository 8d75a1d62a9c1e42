import type { Plugin, RegistryEntry, RegistryKind, RegistryKinds } from '../contract/plugin.js';
import { supportedSpecificationVersions } from '../contract/specification-version.js';
import { EmbError, quote } from '../errors.js';
import { parseOptions } from '../validate/parse-options.js';

const KINDS: readonly RegistryKind[] = ['loss', 'miner', 'sampler', 'distance', 'reducer', 'index'];

/** Options for {@link Registry.register} and {@link Registry.use}. */
export interface RegisterOptions {
  /** Replace an entry of the same kind and name instead of throwing. Default `false`. */
  readonly override?: boolean;
}

/** A summary of one entry, as listed by {@link Registry.list}. */
export interface RegistryListing {
  readonly kind: RegistryKind;
  readonly name: string;
  readonly description: string | undefined;
  /** The plugin package that registered it, or `undefined` for direct `register` calls. */
  readonly plugin: string | undefined;
}

/**
 * Entries keyed by kind and name. Nothing registers itself on import: packages export a
 * `plugin` (or entries) that the application installs with `use` / `register`.
 */
export interface Registry {
  register<K extends RegistryKind, O>(entry: RegistryEntry<K, O>, options?: RegisterOptions): void;
  unregister(kind: RegistryKind, name: string): boolean;
  has(kind: RegistryKind, name: string): boolean;
  get<K extends RegistryKind>(kind: K, name: string): RegistryEntry<K, unknown>;
  list(kind?: RegistryKind): RegistryListing[];
  /** Installs every entry of a plugin after checking its `specificationVersion`. */
  use(plugin: Plugin, options?: RegisterOptions): void;
  /** Validates `options` against the entry's schema, then creates the component. */
  create<K extends RegistryKind>(kind: K, name: string, options?: unknown): RegistryKinds[K];
  /** Validates options without creating anything; returns the parsed options. */
  validate(kind: RegistryKind, name: string, options?: unknown): unknown;
}

interface Stored {
  readonly entry: RegistryEntry<RegistryKind, unknown>;
  readonly plugin: string | undefined;
}

function checkKind(kind: unknown): asserts kind is RegistryKind {
  if (!KINDS.includes(kind as RegistryKind)) {
    throw new EmbError('INVALID_ARGUMENT', `Unknown registry kind ${quote(kind)}; expected one of ${KINDS.join(', ')}.`, {
      kind,
    });
  }
}

function checkEntry(entry: RegistryEntry<RegistryKind, unknown>): void {
  if (entry === null || typeof entry !== 'object') {
    throw new EmbError('INVALID_ARGUMENT', `A registry entry must be an object, got ${quote(entry)}.`);
  }
  checkKind(entry.kind);
  if (typeof entry.name !== 'string' || !/^(@?[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(entry.name)) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `Registry entry name ${quote(entry.name)} is not valid: use kebab-case ('triplet-margin'), prefixed by your package for third-party entries ('acme/arc-face').`,
      { name: entry.name },
    );
  }
  if (typeof entry.create !== 'function') {
    throw new EmbError('INVALID_ARGUMENT', `Registry entry ${entry.kind} ${quote(entry.name)} has no create() function.`);
  }
  const schema = entry.options as { '~standard'?: { validate?: unknown } } | undefined;
  if (!schema || typeof schema !== 'object' || typeof schema['~standard']?.validate !== 'function') {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `Registry entry ${entry.kind} ${quote(entry.name)} has no option schema: set \`options\` to a Standard Schema (valibot, zod, arktype), e.g. v.object({}) for none.`,
      { kind: entry.kind, name: entry.name },
    );
  }
}

/**
 * Creates an isolated registry (tests, sandboxes). Applications normally use the shared
 * {@link registry}.
 *
 * @example
 * const r = createRegistry();
 * r.use(lossesPlugin);
 * const loss = r.create('loss', 'triplet-margin', { margin: 0.2 });
 */
export function createRegistry(): Registry {
  const entries = new Map<string, Stored>();
  const keyOf = (kind: RegistryKind, name: string) => `${kind}\u0000${name}`;

  const namesOf = (kind: RegistryKind) =>
    [...entries.values()]
      .filter((s) => s.entry.kind === kind)
      .map((s) => s.entry.name)
      .sort();

  const add = (entry: RegistryEntry<RegistryKind, unknown>, plugin: string | undefined, options?: RegisterOptions) => {
    checkEntry(entry);
    const key = keyOf(entry.kind, entry.name);
    const existing = entries.get(key);
    if (existing && options?.override !== true) {
      const from = existing.plugin ? ` (registered by ${existing.plugin})` : '';
      throw new EmbError(
        'DUPLICATE_ENTRY',
        `A ${entry.kind} named ${quote(entry.name)} is already registered${from}. Pick another name, or pass { override: true } to replace it.`,
        { kind: entry.kind, name: entry.name, existingPlugin: existing.plugin },
      );
    }
    entries.set(key, { entry, plugin });
  };

  const get = <K extends RegistryKind>(kind: K, name: string): RegistryEntry<K, unknown> => {
    checkKind(kind);
    const stored = entries.get(keyOf(kind, name));
    if (!stored) {
      const known = namesOf(kind);
      throw new EmbError(
        'UNKNOWN_ENTRY',
        `No ${kind} named ${quote(name)} is registered. Known ${kind} names: ${known.length ? known.join(', ') : '(none: install a plugin with registry.use(plugin))'}.`,
        { kind, name, known },
      );
    }
    return stored.entry as RegistryEntry<K, unknown>;
  };

  const validate = (kind: RegistryKind, name: string, options: unknown = {}): unknown =>
    parseOptions(get(kind, name).options, options, `${kind} ${quote(name)}`);

  const registry: Registry = {
    register(entry, options) {
      add(entry as RegistryEntry<RegistryKind, unknown>, undefined, options);
    },
    unregister(kind, name) {
      checkKind(kind);
      return entries.delete(keyOf(kind, name));
    },
    has(kind, name) {
      checkKind(kind);
      return entries.has(keyOf(kind, name));
    },
    get,
    list(kind) {
      if (kind !== undefined) checkKind(kind);
      return [...entries.values()]
        .filter((s) => kind === undefined || s.entry.kind === kind)
        .map((s) => ({ kind: s.entry.kind, name: s.entry.name, description: s.entry.description, plugin: s.plugin }))
        .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind)));
    },
    use(plugin, options) {
      if (plugin === null || typeof plugin !== 'object' || typeof plugin.name !== 'string' || !Array.isArray(plugin.entries)) {
        throw new EmbError(
          'INVALID_ARGUMENT',
          `registry.use() expects a plugin { name, specificationVersion, entries }, got ${quote(plugin)}.`,
        );
      }
      if (!supportedSpecificationVersions.includes(plugin.specificationVersion)) {
        throw new EmbError(
          'SPEC_VERSION',
          `Plugin ${quote(plugin.name)} was built for emb specification version ${quote(plugin.specificationVersion)}, but this @emb/core supports ${supportedSpecificationVersions.join(', ')}. Install a version of the plugin built for specification ${supportedSpecificationVersions.join(' or ')}.`,
          { plugin: plugin.name, version: plugin.specificationVersion, supported: supportedSpecificationVersions },
        );
      }
      // Check everything first so that a failing plugin installs nothing.
      for (const entry of plugin.entries) {
        checkEntry(entry as RegistryEntry<RegistryKind, unknown>);
        const existing = entries.get(keyOf(entry.kind, entry.name));
        if (existing && options?.override !== true) {
          add(entry as RegistryEntry<RegistryKind, unknown>, plugin.name, options); // throws DUPLICATE_ENTRY
        }
      }
      for (const entry of plugin.entries) add(entry as RegistryEntry<RegistryKind, unknown>, plugin.name, options);
    },
    create(kind, name, options) {
      const parsed = validate(kind, name, options);
      const entry = get(kind, name);
      return entry.create(parsed) as RegistryKinds[typeof kind];
    },
    validate,
  };
  return Object.freeze(registry);
}
