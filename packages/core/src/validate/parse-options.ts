import type { StandardSchemaV1 } from '../contract/standard-schema.js';
import { EmbError, quote } from '../errors.js';

function keyOf(p: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof p === 'object' && p !== null && 'key' in p ? p.key : p;
}

function valueAt(root: unknown, path: StandardSchemaV1.Issue['path']): unknown {
  let v = root;
  for (const p of path ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[keyOf(p)];
  }
  return v;
}

/**
 * Validates `options` against a Standard Schema and returns the parsed value, or throws
 * `EmbError('INVALID_OPTION')` naming each bad option and quoting its value.
 *
 * @param what Who is being configured, for the message (`"loss 'triplet-margin'"`).
 * @example
 * const opts = parseOptions(v.object({ margin: v.optional(v.number(), 0.05) }), { margin: 'x' }, "loss 'triplet-margin'");
 * // EmbError: Invalid options for loss 'triplet-margin': option "margin": Invalid type: Expected number but received "x" (got "x").
 */
export function parseOptions<O>(schema: StandardSchemaV1<unknown, O>, options: unknown, what: string): O {
  const result = schema['~standard'].validate(options ?? {});
  if (result instanceof Promise) {
    throw new EmbError(
      'INVALID_OPTION',
      `The option schema of ${what} is asynchronous; emb option schemas must validate synchronously.`,
      { what },
    );
  }
  if (result.issues) {
    const lines = result.issues.map((issue) => {
      const path = (issue.path ?? []).map((p) => String(keyOf(p))).join('.');
      const where = path ? `option ${quote(path)}` : 'options';
      const got = path ? valueAt(options, issue.path) : options;
      return `${where}: ${issue.message} (got ${quote(got)})`;
    });
    throw new EmbError('INVALID_OPTION', `Invalid options for ${what}: ${lines.join('; ')}.`, {
      what,
      issues: result.issues.map((i) => ({ path: (i.path ?? []).map((p) => String(keyOf(p))).join('.'), message: i.message })),
    });
  }
  return result.value;
}
