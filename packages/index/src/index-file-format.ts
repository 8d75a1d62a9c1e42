import { EmbError, quote, type VectorId } from '@emb/core';
import { crc32 } from './crc32.js';
import type { IndexMetric } from './index-metric.js';

/**
 * The binary layout of a saved exact index, version 1 (docs/index-file-format.md). All
 * integers and floats are little-endian.
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 8 | magic `EMBINDEX` (ASCII) |
 * | 8 | 2 | format version (uint16, = 1) |
 * | 10 | 1 | metric (0 = l2, 1 = cosine, 2 = dot) |
 * | 11 | 1 | reserved, 0 |
 * | 12 | 4 | flags (uint32, reserved, 0) |
 * | 16 | 4 | dim (uint32, >= 1) |
 * | 20 | 4 | count (uint32) |
 * | 24 | 4 | byte length of the ids section (uint32) |
 * | 28 | 4 | byte length of the metadata section (uint32) |
 * | 32 | 8 | next automatic id (float64, a safe integer >= 0) |
 * | 40 | 8 | reserved, 0 |
 * | 48 | count x dim x 4 | vectors, float32, row-major |
 * | ... | count x 4 | labels, int32 (0 where absent) |
 * | ... | count | entry flags, uint8: bit 0 = has label, bit 1 = has metadata |
 * | ... | idsLength | ids: UTF-8 JSON array of strings / finite numbers |
 * | ... | metadataLength | metadata: UTF-8 JSON array of objects or null |
 * | end - 4 | 4 | CRC-32 (IEEE) of every byte before it |
 * @internal
 */
export const INDEX_FILE_MAGIC = 'EMBINDEX';
export const INDEX_FILE_VERSION = 1;
export const HEADER_BYTES = 48;
const METRIC_CODES: readonly IndexMetric[] = ['l2', 'cosine', 'dot'];

/** Everything an exact index persists. @internal */
export interface IndexSnapshot {
  readonly metric: IndexMetric;
  readonly dim: number;
  readonly count: number;
  /** `count * dim` values, row-major. */
  readonly vectors: Float32Array;
  readonly ids: readonly VectorId[];
  readonly labels: Int32Array;
  readonly hasLabel: Uint8Array;
  readonly metadata: readonly (Readonly<Record<string, unknown>> | undefined)[];
  readonly nextAutoId: number;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Serialises a snapshot (format version 1). @internal */
export function encodeIndexFile(s: IndexSnapshot): Uint8Array {
  const encoder = new TextEncoder();
  const idsBytes = encoder.encode(JSON.stringify(s.ids.slice(0, s.count)));
  const meta: (Readonly<Record<string, unknown>> | null)[] = [];
  for (let i = 0; i < s.count; i++) meta.push(s.metadata[i] ?? null);
  const metaBytes = encoder.encode(JSON.stringify(meta));
  const vecBytes = s.count * s.dim * 4;
  const total = HEADER_BYTES + vecBytes + s.count * 5 + idsBytes.length + metaBytes.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = INDEX_FILE_MAGIC.charCodeAt(i);
  view.setUint16(8, INDEX_FILE_VERSION, true);
  view.setUint8(10, METRIC_CODES.indexOf(s.metric));
  view.setUint32(16, s.dim, true);
  view.setUint32(20, s.count, true);
  view.setUint32(24, idsBytes.length, true);
  view.setUint32(28, metaBytes.length, true);
  view.setFloat64(32, s.nextAutoId, true);
  let off = HEADER_BYTES;
  if (littleEndian) {
    out.set(new Uint8Array(s.vectors.buffer, s.vectors.byteOffset, vecBytes), off);
  } else {
    for (let i = 0; i < s.count * s.dim; i++) view.setFloat32(off + 4 * i, s.vectors[i] as number, true);
  }
  off += vecBytes;
  for (let i = 0; i < s.count; i++) view.setInt32(off + 4 * i, s.hasLabel[i] ? (s.labels[i] as number) : 0, true);
  off += 4 * s.count;
  for (let i = 0; i < s.count; i++) out[off + i] = (s.hasLabel[i] ? 1 : 0) | (s.metadata[i] !== undefined ? 2 : 0);
  off += s.count;
  out.set(idsBytes, off);
  off += idsBytes.length;
  out.set(metaBytes, off);
  off += metaBytes.length;
  view.setUint32(off, crc32(out, 0, off), true);
  return out;
}

function corrupt(message: string, details: Record<string, unknown> = {}): EmbError {
  return new EmbError('CORRUPT_FILE', `Not a valid emb index file: ${message}`, details);
}

/** What a loader may require of the file. */
export interface IndexFileExpectation {
  /** Throw `DIMENSION_MISMATCH` unless the stored vectors have this dimension. */
  readonly dim?: number;
  /** Throw `INVALID_ARGUMENT` unless the stored metric is this one. */
  readonly metric?: IndexMetric;
}

function parseJsonSection(bytes: Uint8Array, name: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new EmbError(
      'CORRUPT_FILE',
      `Not a valid emb index file: the ${name} section is not valid UTF-8.`,
      { section: name },
      { cause },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new EmbError(
      'CORRUPT_FILE',
      `Not a valid emb index file: the ${name} section is not valid JSON.`,
      { section: name },
      { cause },
    );
  }
}

/**
 * Parses and validates an index file. Sizes are checked against the actual byte length
 * before anything is allocated, then the checksum, then every section; any problem is an
 * `EmbError` (`CORRUPT_FILE`, `UNSUPPORTED_VERSION`, `DIMENSION_MISMATCH`), never a crash or
 * a silently wrong index.
 * @internal
 */
export function decodeIndexFile(bytes: Uint8Array, expect: IndexFileExpectation = {}): IndexSnapshot {
  if (!(bytes instanceof Uint8Array)) {
    throw new EmbError('INVALID_ARGUMENT', `Index bytes must be a Uint8Array, got ${quote(bytes)}.`);
  }
  const length = bytes.length;
  if (length < HEADER_BYTES + 4)
    throw corrupt(`it is ${length} bytes long, shorter than the ${HEADER_BYTES + 4}-byte minimum (truncated?).`, { length });
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== INDEX_FILE_MAGIC.charCodeAt(i))
      throw corrupt('the magic bytes "EMBINDEX" are missing (wrong file type?).', { length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The checksum is the last 4 bytes in every version, so damage anywhere (the version field
  // included) is reported as corruption, and a genuine newer file as an unsupported version.
  const stored = view.getUint32(length - 4, true);
  const actual = crc32(bytes, 0, length - 4);
  if (stored !== actual) {
    throw corrupt(`the checksum does not match (stored ${stored}, computed ${actual}); the file is damaged or was truncated.`, {
      stored,
      actual,
    });
  }
  const version = view.getUint16(8, true);
  if (version !== INDEX_FILE_VERSION) {
    throw new EmbError(
      'UNSUPPORTED_VERSION',
      `The index file has format version ${quote(version)}; this @emb/index reads version ${INDEX_FILE_VERSION}. Upgrade @emb/index to read it.`,
      { version, supported: [INDEX_FILE_VERSION] },
    );
  }
  const metricCode = view.getUint8(10);
  const metric = METRIC_CODES[metricCode];
  if (metric === undefined) throw corrupt(`unknown metric code ${metricCode}.`, { metricCode });
  if (
    view.getUint8(11) !== 0 ||
    view.getUint32(12, true) !== 0 ||
    view.getUint32(40, true) !== 0 ||
    view.getUint32(44, true) !== 0
  ) {
    throw corrupt('reserved header fields are not zero.');
  }
  const dim = view.getUint32(16, true);
  const count = view.getUint32(20, true);
  const idsLength = view.getUint32(24, true);
  const metaLength = view.getUint32(28, true);
  const nextAutoId = view.getFloat64(32, true);
  if (dim < 1) throw corrupt('dim is 0.', { dim });
  if (!Number.isSafeInteger(nextAutoId) || nextAutoId < 0)
    throw corrupt(`the next automatic id ${quote(nextAutoId)} is not a non-negative safe integer.`);
  // Float arithmetic: a product too large to be exact is also far larger than any real
  // buffer, so it can never equal `length` by accident.
  const expected = HEADER_BYTES + count * dim * 4 + count * 5 + idsLength + metaLength + 4;
  if (expected !== length) {
    throw corrupt(`its header describes ${expected} bytes (dim ${dim}, count ${count}) but it has ${length}.`, {
      expected,
      length,
      dim,
      count,
    });
  }
  if (expect.dim !== undefined && expect.dim !== dim) {
    throw new EmbError(
      'DIMENSION_MISMATCH',
      `The index file holds ${dim}-D vectors but ${expect.dim}-D was expected: it was built with another model; rebuild it with this one, or load it with { dim: ${dim} }.`,
      {
        dim,
        expected: expect.dim,
      },
    );
  }
  if (expect.metric !== undefined && expect.metric !== metric) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `The index file uses metric ${quote(metric)} but ${quote(expect.metric)} was expected.`,
      {
        metric,
        expected: expect.metric,
      },
    );
  }
  let off = HEADER_BYTES;
  const vectors = new Float32Array(count * dim);
  if (littleEndian) {
    new Uint8Array(vectors.buffer).set(bytes.subarray(off, off + count * dim * 4));
  } else {
    for (let i = 0; i < count * dim; i++) vectors[i] = view.getFloat32(off + 4 * i, true);
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i] as number)) throw corrupt(`vector ${Math.floor(i / dim)} holds ${quote(vectors[i])}.`);
  }
  off += count * dim * 4;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = view.getInt32(off + 4 * i, true);
  off += 4 * count;
  const hasLabel = new Uint8Array(count);
  const flags = bytes.subarray(off, off + count);
  for (let i = 0; i < count; i++) {
    const f = flags[i] as number;
    if (f > 3) throw corrupt(`entry ${i} has unknown flags ${f}.`);
    hasLabel[i] = f & 1;
    if (!(f & 1) && labels[i] !== 0) throw corrupt(`entry ${i} has no label but a non-zero label field.`);
  }
  off += count;
  const ids = parseJsonSection(bytes.subarray(off, off + idsLength), 'ids');
  off += idsLength;
  const meta = parseJsonSection(bytes.subarray(off, off + metaLength), 'metadata');
  if (!Array.isArray(ids) || ids.length !== count) throw corrupt(`the ids section is not an array of ${count} ids.`);
  if (!Array.isArray(meta) || meta.length !== count) throw corrupt(`the metadata section is not an array of ${count} entries.`);
  const seen = new Set<VectorId>();
  for (let i = 0; i < count; i++) {
    const id = ids[i] as unknown;
    if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) throw corrupt(`id ${i} is ${quote(id)}.`);
    if (seen.has(id)) throw corrupt(`id ${quote(id)} appears twice.`);
    seen.add(id);
  }
  const metadata: (Readonly<Record<string, unknown>> | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const m = meta[i] as unknown;
    const flagged = ((flags[i] as number) & 2) !== 0;
    if (flagged !== (m !== null) || (m !== null && (typeof m !== 'object' || Array.isArray(m)))) {
      throw corrupt(`metadata ${i} (${quote(m)}) does not match its entry flag.`);
    }
    metadata.push(m === null ? undefined : Object.freeze(m as Record<string, unknown>));
  }
  return { metric, dim, count, vectors, ids: ids as VectorId[], labels, hasLabel, metadata, nextAutoId };
}
