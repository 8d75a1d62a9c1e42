import { EmbError } from '@emb/core';

/** Nested arrays of numbers (as golden JSON stores matrices) or a flat typed array. */
export type NumericLike = number | string | ArrayLike<number> | readonly NumericLike[];

/** Flattens nested arrays (and golden's "NaN" / "Infinity" strings) into numbers. */
export function flatten(x: NumericLike): number[] {
  if (typeof x === 'number') return [x];
  if (typeof x === 'string') return [Number(x)];
  const out: number[] = [];
  for (const item of Array.from(x as ArrayLike<NumericLike>)) out.push(...flatten(item));
  return out;
}

export interface CloseOptions {
  /** Relative tolerance, applied to `max(scaleFloor, scale)`. */
  readonly rtol: number;
  /** `'elementwise'`: per entry |a-b| <= rtol * max(|b|, floor); `'max'`: |a-b| <= rtol * max(max|b|, floor). */
  readonly scale?: 'elementwise' | 'max';
  /** The floor of the scale. Default 1e-3 (golden README). */
  readonly floor?: number;
  readonly label?: string;
}

/**
 * Compares `actual` to `expected` with the golden README's tolerance rules and returns a
 * description of the worst mismatch, or `null` when everything is within tolerance.
 */
export function closeness(actual: NumericLike, expected: NumericLike, options: CloseOptions): string | null {
  const a = flatten(actual);
  const b = flatten(expected);
  const label = options.label ?? 'value';
  if (a.length !== b.length) return `${label}: length ${a.length} != expected ${b.length}`;
  const floor = options.floor ?? 1e-3;
  const maxScale = Math.max(floor, ...b.map((x) => Math.abs(x)));
  let worst: { i: number; err: number; tol: number } | null = null;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    const tol = options.rtol * (options.scale === 'elementwise' ? Math.max(floor, Math.abs(y)) : maxScale);
    const err = Math.abs(x - y);
    if (!(err <= tol) && (!worst || err / tol > worst.err / worst.tol)) worst = { i, err, tol };
  }
  if (!worst) return null;
  return `${label}[${worst.i}]: got ${a[worst.i]}, expected ${b[worst.i]} (|diff| ${worst.err.toExponential(2)} > tol ${worst.tol.toExponential(2)})`;
}

/** Throws with a readable message when {@link closeness} finds a mismatch. */
export function expectClose(actual: NumericLike, expected: NumericLike, options: CloseOptions): void {
  const problem = closeness(actual, expected, options);
  if (problem) throw new EmbError('INVALID_ARGUMENT', problem);
}
