import {
  type AnyRegistryEntry,
  createRegistry,
  isEmbError,
  type RegistryKind,
  type RegistryKinds,
  supportedSpecificationVersions,
} from '@emb/core';
import { type ConformanceCheck, check, fail } from '../conformance-check.js';

/** The option key no entry should accept: a strict schema must reject it by name. */
export const UNKNOWN_OPTION = 'notAnOptionOfThisEntry';

/** Checks that `entry` is of `kind`, with a message naming the suite. */
export function assertKind(entry: AnyRegistryEntry, kind: RegistryKind, suite: string): void {
  if (entry === null || typeof entry !== 'object' || entry.kind !== kind) {
    throw new TypeError(
      `${suite} expects a registry entry of kind '${kind}', got ${entry === null || typeof entry !== 'object' ? String(entry) : `kind '${String(entry.kind)}'`}.`,
    );
  }
}

/** Registers `entry` in a fresh registry (which checks its shape and schema) and creates it. */
export function createThroughRegistry<K extends RegistryKind>(entry: AnyRegistryEntry, options: unknown): RegistryKinds[K] {
  const registry = createRegistry();
  registry.register(entry);
  return registry.create(entry.kind, entry.name, options) as RegistryKinds[K];
}

/** Checks what every created component carries: the contract version and its name. */
export function checkComponent(component: unknown, entry: AnyRegistryEntry): void {
  check(
    component !== null && typeof component === 'object',
    `${entry.kind} '${entry.name}': create() returned ${String(component)}, not an object.`,
  );
  const c = component as { specificationVersion?: unknown; name?: unknown };
  check(
    supportedSpecificationVersions.includes(c.specificationVersion as number),
    `${entry.kind} '${entry.name}' targets specificationVersion ${String(c.specificationVersion)}; this @emb/core supports ${supportedSpecificationVersions.join(', ')}. Set specificationVersion from @emb/core's export.`,
  );
  check(typeof c.name === 'string' && c.name.length > 0, `${entry.kind} '${entry.name}': the created component has no name.`);
}

/**
 * The registry checks every suite starts with: the entry registers (the registry checks its
 * shape and option schema), creates a component that carries the contract version, and its
 * schema rejects an unknown option and every bad option set given.
 */
export function registryChecks(
  entry: AnyRegistryEntry,
  options: Record<string, unknown>,
  badOptions: readonly Record<string, unknown>[] = [],
): ConformanceCheck[] {
  const what = `${entry.kind} '${entry.name}'`;
  const expectRejected = (bad: Record<string, unknown>, key: string) => {
    let error: unknown;
    try {
      const created = createThroughRegistry(entry, bad);
      (created as { dispose?: () => void }).dispose?.();
    } catch (e) {
      error = e;
    }
    if (error === undefined) {
      fail(
        key === UNKNOWN_OPTION
          ? `${what} accepted the unknown option "${UNKNOWN_OPTION}": its option schema must reject unknown keys (valibot v.strictObject, zod .strict()) so that a typo is reported, not ignored.`
          : `${what} accepted the bad options ${JSON.stringify(bad)}: its option schema must reject them with an EmbError('INVALID_OPTION').`,
      );
    }
    check(
      isEmbError(error, 'INVALID_OPTION'),
      `${what}: bad options must throw EmbError with code 'INVALID_OPTION' (the registry does this when the schema rejects them), got ${String(error)}.`,
    );
    check(
      (error as Error).message.includes(key),
      `${what}: the error for bad options should name the option "${key}"; got: ${(error as Error).message}`,
    );
  };
  return [
    {
      name: 'is created through the registry and carries the contract version',
      run() {
        const created = createThroughRegistry(entry, options);
        try {
          checkComponent(created, entry);
        } finally {
          (created as { dispose?: () => void }).dispose?.();
        }
      },
    },
    {
      name: 'rejects an unknown option and bad option values with a clear EmbError',
      run() {
        expectRejected({ ...options, [UNKNOWN_OPTION]: 123 }, UNKNOWN_OPTION);
        for (const bad of badOptions) expectRejected({ ...options, ...bad }, Object.keys(bad)[0] ?? '');
      },
    },
  ];
}
