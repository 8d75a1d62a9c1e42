/**
 * Stable error codes. A code never changes meaning once released; messages may improve.
 */
export type EmbErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'NON_FINITE'
  | 'LABELS_LENGTH'
  | 'INVALID_LABELS'
  | 'EMPTY_BATCH'
  | 'K_TOO_LARGE'
  | 'DIMENSION_MISMATCH'
  | 'UNKNOWN_ENTRY'
  | 'DUPLICATE_ENTRY'
  | 'SPEC_VERSION'
  | 'CORRUPT_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'NOT_FOUND'
  | 'BACKEND'
  | 'IO';

/**
 * The one error type emb throws. `code` is stable and safe to branch on; `message`
 * quotes the offending value and says how to fix it; `details` carries machine-readable
 * context (the option name, the expected and actual shapes, ...).
 *
 * @example
 * try { registry.create('loss', 'tripletMargin') } catch (e) {
 *   if (e instanceof EmbError && e.code === 'UNKNOWN_ENTRY') console.log(e.details.known)
 * }
 */
export class EmbError extends Error {
  readonly code: EmbErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: EmbErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}

/** True when `error` is an {@link EmbError}, optionally with the given code. Works across duplicate installs. */
export function isEmbError(error: unknown, code?: EmbErrorCode): error is EmbError {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === 'EmbError' && typeof e.code === 'string' && (code === undefined || e.code === code);
}

/**
 * Formats a value for an error message: short, unambiguous, never throws
 * (strings quoted, NaN and Infinity spelled out, long arrays and objects elided).
 */
export function quote(value: unknown, maxLength = 80): string {
  let text: string;
  try {
    if (typeof value === 'string') text = JSON.stringify(value);
    else if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
    else if (typeof value === 'bigint') text = `${value}n`;
    else if (value === undefined) text = 'undefined';
    else if (typeof value === 'function') text = `[function ${value.name || 'anonymous'}]`;
    else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const arr = Array.from(value as unknown as ArrayLike<number>);
      text = `${value.constructor.name}(${arr.length}) [${arr
        .slice(0, 8)
        .map((x) => quote(x))
        .join(', ')}${arr.length > 8 ? ', ...' : ''}]`;
    } else if (Array.isArray(value)) {
      text = `[${value
        .slice(0, 8)
        .map((x) => quote(x, 20))
        .join(', ')}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
    } else if (value !== null && typeof value === 'object' && 'shape' in value && 'dtype' in value) {
      const t = value as { shape: unknown; dtype: unknown };
      text = `Tensor(shape=${JSON.stringify(t.shape)}, dtype=${String(t.dtype)})`;
    } else {
      text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
    }
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}
