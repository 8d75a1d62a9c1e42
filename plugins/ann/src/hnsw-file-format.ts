import { EmbError, quote, type VectorId } from '@emb/core';
import { crc32 } from '@emb/index';

/**
 * The binary layout of a saved HNSW index, version 1. Integers and floats are little-endian.
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 8 | magic `EMBHNSW1` (ASCII) |
 * | 8 | 4 | format version (uint32, = 1) |
 * | 12 | 4 | byte length of the JSON header (uint32) |
 * | 16 | 4 | slots (uint32): stored rows, live or freed |
 * | 20 | 4 | dim (uint32) |
 * | 24 | 8 | byte length of the graph (float64, a safe integer) |
 * | 32 | json | header: UTF-8 JSON `{ metric, M, efConstruction, efSearch, threads, quantization, nextAutoId, ids, metadata }` (ids and metadata per slot, null where freed / absent), padded with spaces to a multiple of 4 |
 * | ... | slots x dim x 4 | vectors, float32, row-major |
 * | ... | slots x 4 | labels, int32 |
 * | ... | slots | slot flags, uint8: bit 0 = live, bit 1 = has label |
 * | ... | graph | usearch's own serialisation of the graph (keys are slots) |
 * | end - 4 | 4 | CRC-32 (IEEE) of every byte before it |
 * @internal
 */
export const HNSW_FILE_MAGIC = 'EMBHNSW1';
export const HNSW_FILE_VERSION = 1;
const FIXED_BYTES = 32;

/** The settings saved with an index. @internal */
export interface HnswSavedSettings {
  readonly metric: 'l2' | 'cosine' | 'dot';
  readonly dim: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly threads: number;
  readonly quantization: 'f32' | 'f16' | 'bf16';
}

/** Everything an HNSW index persists. @internal */
export interface HnswSnapshot {
  readonly settings: HnswSavedSettings;
  readonly top: number;
  readonly vectors: Float32Array;
  readonly alive: Uint8Array;
  readonly ids: readonly (VectorId | undefined)[];
  readonly labels: Int32Array;
  readonly hasLabel: Uint8Array;
  readonly metadata: readonly (Readonly<Record<string, unknown>> | undefined)[];
  readonly nextAutoId: number;
  readonly graph: Uint8Array;
}

/** What a loader may require of a saved index, and the settings it may override. */
export interface HnswFileExpectation {
  /** Throw `DIMENSION_MISMATCH` unless the saved index has this dimension. */
  readonly dim?: number;
  /** Throw `INVALID_ARGUMENT` unless the saved index uses this metric. */
  readonly metric?: 'l2' | 'cosine' | 'dot';
  /** Search breadth to use instead of the saved one. */
  readonly efSearch?: number;
  /** Native threads to use instead of the saved number. */
  readonly threads?: number;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function corrupt(why: string): EmbError {
  return new EmbError('CORRUPT_FILE', `This is not a readable HNSW index file: ${why}. Save it again with index.save().`);
}

/** Serialises a snapshot (format version 1). @internal */
export function encodeHnswFile(s: HnswSnapshot): Uint8Array {
  if (!littleEndian) throw new EmbError('BACKEND', 'Saving an HNSW index needs a little-endian machine.');
  const { settings, top } = s;
  const dim = settings.dim;
  const ids: (VectorId | null)[] = [];
  const meta: (Readonly<Record<string, unknown>> | null)[] = [];
  for (let i = 0; i < top; i++) {
    ids.push(s.alive[i] ? (s.ids[i] as VectorId) : null);
    meta.push(s.alive[i] ? (s.metadata[i] ?? null) : null);
  }
  const header = {
    metric: settings.metric,
    M: settings.M,
    efConstruction: settings.efConstruction,
    efSearch: settings.efSearch,
    threads: settings.threads,
    quantization: settings.quantization,
    nextAutoId: s.nextAutoId,
    ids,
    metadata: meta,
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const vecBytes = top * dim * 4;
  const total = FIXED_BYTES + json.length + vecBytes + top * 5 + s.graph.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = HNSW_FILE_MAGIC.charCodeAt(i);
  view.setUint32(8, HNSW_FILE_VERSION, true);
  view.setUint32(12, json.length, true);
  view.setUint32(16, top, true);
  view.setUint32(20, dim, true);
  view.setFloat64(24, s.graph.length, true);
  let off = FIXED_BYTES;
  out.set(json, off);
  off += json.length;
  out.set(new Uint8Array(s.vectors.buffer, s.vectors.byteOffset, vecBytes), off);
  off += vecBytes;
  out.set(new Uint8Array(s.labels.buffer, s.labels.byteOffset, top * 4), off);
  off += top * 4;
  for (let i = 0; i < top; i++) out[off + i] = (s.alive[i] ? 1 : 0) | (s.hasLabel[i] ? 2 : 0);
  off += top;
  out.set(s.graph, off);
  off += s.graph.length;
  view.setUint32(off, crc32(out.subarray(0, off)), true);
  return out;
}

/** Parses and checks a saved index. @internal */
export function decodeHnswFile(bytes: Uint8Array, expect: HnswFileExpectation = {}): HnswSnapshot {
  if (!(bytes instanceof Uint8Array)) {
    throw new EmbError('INVALID_ARGUMENT', `Expected the bytes of a saved HNSW index (a Uint8Array), got ${quote(bytes)}.`);
  }
  if (!littleEndian) throw new EmbError('BACKEND', 'Loading an HNSW index needs a little-endian machine.');
  if (bytes.length < FIXED_BYTES + 4) throw corrupt(`${bytes.length} bytes is shorter than the header`);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(bytes[i] as number);
  if (magic !== HNSW_FILE_MAGIC) throw corrupt(`it starts with ${quote(magic)}, not ${quote(HNSW_FILE_MAGIC)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > HNSW_FILE_VERSION) {
    throw new EmbError(
      'UNSUPPORTED_VERSION',
      `This HNSW index file has format version ${version}; this @emb/plugin-ann reads version ${HNSW_FILE_VERSION}. Upgrade @emb/plugin-ann.`,
      { version },
    );
  }
  const jsonLength = view.getUint32(12, true);
  const top = view.getUint32(16, true);
  const dim = view.getUint32(20, true);
  const graphLength = view.getFloat64(24, true);
  const expected = FIXED_BYTES + jsonLength + top * dim * 4 + top * 5 + graphLength + 4;
  if (!Number.isSafeInteger(graphLength) || expected !== bytes.length) {
    throw corrupt(`its header describes ${expected} bytes but there are ${bytes.length} (truncated?)`);
  }
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored) throw corrupt('the checksum does not match (damaged)');
  let off = FIXED_BYTES;
  let header: {
    metric: 'l2' | 'cosine' | 'dot';
    M: number;
    efConstruction: number;
    efSearch: number;
    threads: number;
    quantization?: 'f32' | 'f16' | 'bf16';
    nextAutoId: number;
    ids: (VectorId | null)[];
    metadata: (Record<string, unknown> | null)[];
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(off, off + jsonLength)));
  } catch {
    throw corrupt('its JSON header does not parse');
  }
  off += jsonLength;
  if (expect.dim !== undefined && expect.dim !== dim) {
    throw new EmbError('DIMENSION_MISMATCH', `The saved HNSW index has dimension ${dim}, not the expected ${expect.dim}.`, {
      dim,
      expected: expect.dim,
    });
  }
  if (expect.metric !== undefined && expect.metric !== header.metric) {
    throw new EmbError(
      'INVALID_ARGUMENT',
      `The saved HNSW index uses metric ${quote(header.metric)}, not the expected ${quote(expect.metric)}.`,
      { metric: header.metric, expected: expect.metric },
    );
  }
  const vectors = new Float32Array(top * dim);
  new Uint8Array(vectors.buffer).set(bytes.subarray(off, off + top * dim * 4));
  off += top * dim * 4;
  const labels = new Int32Array(top);
  new Uint8Array(labels.buffer).set(bytes.subarray(off, off + top * 4));
  off += top * 4;
  const alive = new Uint8Array(top);
  const hasLabel = new Uint8Array(top);
  for (let i = 0; i < top; i++) {
    const f = bytes[off + i] as number;
    alive[i] = f & 1;
    hasLabel[i] = (f >> 1) & 1;
  }
  off += top;
  const metadata = header.metadata.map((m) => (m === null ? undefined : Object.freeze(m)));
  return {
    settings: {
      metric: header.metric,
      dim,
      M: header.M,
      efConstruction: header.efConstruction,
      efSearch: header.efSearch,
      threads: header.threads,
      quantization: header.quantization ?? 'f32',
    },
    top,
    vectors,
    alive,
    ids: header.ids.map((id) => (id === null ? undefined : id)),
    labels,
    hasLabel,
    metadata,
    nextAutoId: header.nextAutoId,
    graph: bytes.slice(off, off + graphLength),
  };
}
