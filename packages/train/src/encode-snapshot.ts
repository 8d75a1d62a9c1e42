import { EmbError } from '@emb/core';
import { crc32 } from './internal/crc32.js';
import type { TrainingSnapshot } from './training-snapshot.js';

/** The first 8 bytes of every snapshot file. */
export const SNAPSHOT_MAGIC = 'EMBTRAIN';
/** The binary layout version written by {@link encodeSnapshot}. */
export const SNAPSHOT_FORMAT_VERSION = 1;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

type TypedArray = Float32Array | Int32Array | Uint8Array;
const DTYPE_OF = (a: TypedArray): 'float32' | 'int32' | 'uint8' =>
  a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : 'uint8';

/** @internal */
export function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) {
    throw new EmbError('IO', 'emb snapshots are little-endian; this platform is big-endian, which @emb/train does not support.');
  }
}

/**
 * Serialises a {@link TrainingSnapshot} to bytes, in this documented layout (all integers
 * little-endian):
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 8 | magic, ASCII `EMBTRAIN` |
 * | 8 | 4 | uint32 format version (1) |
 * | 12 | 4 | uint32 header length H |
 * | 16 | H | UTF-8 JSON of the snapshot; each typed array is replaced by `{"$array": "float32" \| "int32" \| "uint8", "offset": bytes from the data section start, "length": elements}`, each non-finite number by `{"$number": "NaN" \| "Infinity" \| "-Infinity"}` |
 * | 16 + H | 0-7 | zero padding to a multiple of 8 |
 * | D | ... | data section: the arrays' bytes, each starting at a multiple of 8 |
 * | end - 4 | 4 | uint32 CRC-32 (IEEE, as zlib) of every byte before it |
 *
 * `decodeSnapshot` checks the magic, version, lengths and checksum and throws
 * `EmbError('CORRUPT_FILE')` or `('UNSUPPORTED_VERSION')`.
 *
 * @example
 * const bytes = encodeSnapshot(await ctx.snapshot());
 * const again = decodeSnapshot(bytes);
 */
export function encodeSnapshot(snapshot: TrainingSnapshot): Uint8Array {
  assertLittleEndian();
  const arrays: TypedArray[] = [];
  let dataLength = 0;
  const json = JSON.stringify(snapshot, function replacer(this: unknown, key: string, value: unknown) {
    // JSON.stringify hands typed arrays to the replacer before converting them; read the raw
    // holder value so that Float32Array is not turned into an object first.
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Float32Array || raw instanceof Int32Array || raw instanceof Uint8Array) {
      const offset = dataLength;
      arrays.push(raw);
      dataLength += Math.ceil(raw.byteLength / 8) * 8;
      return { $array: DTYPE_OF(raw), offset, length: raw.length };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  });
  const header = new TextEncoder().encode(json);
  const headerEnd = 16 + header.length;
  const dataStart = Math.ceil(headerEnd / 8) * 8;
  const total = dataStart + dataLength + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = SNAPSHOT_MAGIC.charCodeAt(i);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  let offset = dataStart;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}
