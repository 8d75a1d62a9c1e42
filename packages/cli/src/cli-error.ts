import { EmbError } from '@emb/core';

/** A usage mistake on the command line: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a positive integer flag or throws a {@link UsageError} naming it. */
export function intFlag(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}".`);
  return n;
}

/** Parses `5,6,7` into class labels. */
export function classesFlag(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || !list.every((n) => Number.isInteger(n))) {
    throw new UsageError(`--${name} must be comma-separated integer labels like 5,6,7, got "${value}".`);
  }
  return list;
}

export { EmbError };
