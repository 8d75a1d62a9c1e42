import { EmbError, isEmbError, quote, type Registry, type RegistryKinds } from '@emb/core';
import type { ComponentSpec } from '../component-spec.js';

type Kind = 'loss' | 'miner' | 'sampler';
const METHOD: Record<Kind, string> = { loss: 'compute', miner: 'mine', sampler: 'epoch' };

/**
 * The component itself, or one created from a registry spec. `extras` are options `fit`
 * supplies when the spec does not set them and the entry accepts them (the run's `rng` for
 * random miners, `batchSize` for samplers). @internal
 */
export function resolveComponent<K extends Kind>(
  kind: K,
  value: RegistryKinds[K] | ComponentSpec,
  registry: Registry,
  extras: Readonly<Record<string, unknown>> = {},
): RegistryKinds[K] {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as unknown as Record<string, unknown>)[METHOD[kind]] === 'function'
  ) {
    return value as RegistryKinds[K];
  }
  const spec = typeof value === 'string' ? { name: value } : value;
  if (spec === null || typeof spec !== 'object' || typeof (spec as { name?: unknown }).name !== 'string') {
    throw new EmbError(
      'INVALID_OPTION',
      `fit: '${kind}' must be a ${kind} object (with ${METHOD[kind]}()), a registry name, or { name, options }; got ${quote(value)}.`,
      { option: kind },
    );
  }
  const { name, options = {} } = spec as { name: string; options?: Record<string, unknown> };
  if (options === null || typeof options !== 'object') {
    throw new EmbError('INVALID_OPTION', `fit: ${kind} ${quote(name)} options must be an object, got ${quote(options)}.`, {
      option: kind,
    });
  }
  const merged: Record<string, unknown> = { ...options };
  for (const [key, extra] of Object.entries(extras)) {
    if (key in merged) continue;
    try {
      registry.validate(kind, name, { ...merged, [key]: extra });
      merged[key] = extra;
    } catch (error) {
      if (!isEmbError(error, 'INVALID_OPTION')) throw error;
    }
  }
  return registry.create(kind, name, merged);
}
