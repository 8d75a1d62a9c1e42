import { EmbError, quote } from '@emb/core';

/** Element types of the IDX format (the type byte 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E). */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file: an n-dimensional array, row-major. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Readonly<Record<number, { dtype: IdxDtype; bytes: number }>> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

function corrupt(message: string, details: Record<string, unknown> = {}): EmbError {
  return new EmbError('CORRUPT_FILE', `Not a valid IDX file: ${message}`, details);
}

/** True when `bytes` start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an uncompressed IDX file (the format of MNIST and Fashion-MNIST: a 4-byte magic
 * number with the element type and rank, one big-endian uint32 per dimension, then the
 * values, big-endian). Every length is checked against the bytes actually present *before*
 * anything is allocated, so a damaged or hostile header cannot make it allocate more than
 * the input's own size. For gzipped input use {@link readIdx}.
 *
 * @throws {EmbError} `CORRUPT_FILE` when the magic number, element type or rank is invalid,
 *   or when the dimensions do not match the number of bytes exactly (truncated file or
 *   trailing bytes).
 * @example
 * const { dtype, shape, data } = parseIdx(bytes); // 'uint8', [60000, 28, 28], Uint8Array
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new EmbError('INVALID_ARGUMENT', `parseIdx expects a Uint8Array (or Buffer), got ${quote(bytes)}.`);
  }
  if (bytes.length < 4) throw corrupt(`${bytes.length} bytes is shorter than the 4-byte header.`, { length: bytes.length });
  if (isGzip(bytes)) {
    throw corrupt('the bytes are gzip-compressed; use readIdx (which decompresses) instead of parseIdx.', { gzip: true });
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw corrupt(`the magic number must start with two zero bytes, got ${quote([bytes[0], bytes[1]])}.`, {
      magic: [bytes[0], bytes[1], bytes[2], bytes[3]],
    });
  }
  const typeCode = bytes[2] as number;
  const type = TYPES[typeCode];
  if (type === undefined) {
    throw corrupt(
      `unknown element type 0x${typeCode.toString(16).padStart(2, '0')}; IDX types are 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e.`,
      {
        typeCode,
      },
    );
  }
  const rank = bytes[3] as number;
  if (rank === 0) throw corrupt('the rank (4th byte) is 0; an IDX array has at least one dimension.', { rank });
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw corrupt(`the header declares ${rank} dimensions (${headerLength} bytes) but the file has only ${bytes.length} bytes.`, {
      rank,
      length: bytes.length,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const available = bytes.length - headerLength;
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  // `count` is exact up to 2^53; anything larger is far beyond `available` anyway.
  const needed = count * type.bytes;
  if (needed !== available) {
    const what = needed > available ? 'is truncated' : 'has trailing bytes';
    throw corrupt(
      `the file ${what}: shape ${quote(shape)} of ${type.dtype} needs ${needed} bytes of data after the header, but ${available} are present.`,
      { shape, dtype: type.dtype, needed, available },
    );
  }
  const start = headerLength;
  let data: IdxArray['data'];
  switch (type.dtype) {
    case 'uint8':
      // Uint8Array's slice, not Buffer's (which returns a view into a shared pool): a copy.
      data = Uint8Array.prototype.slice.call(bytes, start, start + count);
      break;
    case 'int8':
      data = new Int8Array(Uint8Array.prototype.slice.call(bytes, start, start + count).buffer);
      break;
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, false);
      data = out;
      break;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, false);
      data = out;
      break;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, false);
      data = out;
      break;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, false);
      data = out;
      break;
    }
  }
  return Object.freeze({ dtype: type.dtype, shape: Object.freeze(shape), data });
}

/**
 * Encodes an array as an (uncompressed) IDX file: the inverse of {@link parseIdx}, for
 * exporting data and for tests.
 *
 * @example
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: Uint8Array.of(0, 1, 2, 3) });
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.keys(TYPES).find((k) => TYPES[Number(k)]?.dtype === array.dtype));
  const type = TYPES[code];
  if (type === undefined) throw new EmbError('INVALID_ARGUMENT', `encodeIdx: unknown dtype ${quote(array.dtype)}.`);
  const shape = array.shape;
  if (shape.length === 0 || shape.length > 255 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 0xffffffff)) {
    throw new EmbError('INVALID_ARGUMENT', `encodeIdx: shape must have 1 to 255 unsigned 32-bit sizes, got ${quote(shape)}.`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new EmbError(
      'SHAPE_MISMATCH',
      `encodeIdx: shape ${quote(shape)} holds ${count} values but data has ${array.data.length}.`,
    );
  }
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const v = array.data[i] as number;
    const at = header + i * type.bytes;
    if (type.dtype === 'uint8') view.setUint8(at, v);
    else if (type.dtype === 'int8') view.setInt8(at, v);
    else if (type.dtype === 'int16') view.setInt16(at, v, false);
    else if (type.dtype === 'int32') view.setInt32(at, v, false);
    else if (type.dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
