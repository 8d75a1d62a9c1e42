/**
 * Small writers of PostgreSQL values used by the index. Arrays go as text literals (PGlite
 * and `pg` serialise JS arrays of custom types differently); vectors go in binary.
 * @internal
 */

/** Parses pgvector's text output `[1,2,3]` into `out` at `offset`. */
export function parseVector(text: string, out: Float32Array, offset: number): void {
  const parts = text.slice(1, -1).split(',');
  for (let j = 0; j < parts.length; j++) out[offset + j] = Number(parts[j]);
}

/** An element of an array literal: quoted, with `"` and `\` escaped; `null` is NULL. */
function element(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `{"a","b",NULL}`: a one-dimensional array literal for a `$n::type[]` parameter. */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += element(values[i] as string | number | null);
  }
  return `${s}}`;
}

const COPY_SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const utf8 = new TextEncoder();

/**
 * Rows `(id jsonb, label integer, metadata json, embedding vector)` in PostgreSQL's binary
 * COPY format. Binary, because parsing float text dominates a text COPY inside WASM
 * Postgres (about 10x slower for 128-D vectors); pgvector's binary form is
 * `int16 dim, int16 0, float4[dim]`, big-endian like every binary COPY field.
 */
export function binaryCopyRows(
  ids: readonly string[],
  labels: readonly (number | null)[],
  metadata: readonly (string | null)[],
  data: Float32Array,
  offset: number,
  dim: number,
): Uint8Array {
  const idBytes = ids.map((s) => utf8.encode(s));
  const metaBytes = metadata.map((s) => (s === null ? null : utf8.encode(s)));
  let size = COPY_SIGNATURE.length + 8 + 2;
  for (let i = 0; i < ids.length; i++) {
    size += 2 + (4 + 1 + (idBytes[i] as Uint8Array).length) + (labels[i] === null ? 4 : 8);
    size += 4 + (metaBytes[i]?.length ?? 0) + 4 + 4 + 4 * dim;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(COPY_SIGNATURE, 0);
  let o = COPY_SIGNATURE.length + 8; // flags and header-extension length: 0
  for (let i = 0; i < ids.length; i++) {
    view.setInt16(o, 4);
    o += 2;
    const id = idBytes[i] as Uint8Array;
    view.setInt32(o, 1 + id.length);
    bytes[o + 4] = 1; // jsonb binary version
    bytes.set(id, o + 5);
    o += 5 + id.length;
    const label = labels[i] ?? null;
    if (label === null) {
      view.setInt32(o, -1);
      o += 4;
    } else {
      view.setInt32(o, 4);
      view.setInt32(o + 4, label);
      o += 8;
    }
    const meta = metaBytes[i] ?? null;
    if (meta === null) {
      view.setInt32(o, -1);
      o += 4;
    } else {
      view.setInt32(o, meta.length);
      bytes.set(meta, o + 4);
      o += 4 + meta.length;
    }
    view.setInt32(o, 4 + 4 * dim);
    view.setInt16(o + 4, dim);
    view.setInt16(o + 6, 0);
    o += 8;
    const start = offset + i * dim;
    for (let j = 0; j < dim; j++) {
      view.setFloat32(o, data[start + j] as number);
      o += 4;
    }
  }
  view.setInt16(o, -1);
  return bytes;
}

/** A double-quoted SQL identifier (the table name is validated already; this keeps it safe anyway). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `count` vectors as one binary `vector[]` parameter (PostgreSQL's binary array format:
 * ndim 1, no nulls, element type `vectorOid`, then each element as pgvector's binary form).
 * Both `pg` and PGlite send a typed-array parameter in binary, so the server parses no text.
 */
export function binaryVectorArray(data: Float32Array, offset: number, count: number, dim: number, vectorOid: number): Uint8Array {
  const bytes = new Uint8Array(20 + count * (8 + 4 * dim));
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setInt32(8, vectorOid);
  view.setInt32(12, count);
  view.setInt32(16, 1);
  let o = 20;
  for (let i = 0; i < count; i++) {
    view.setInt32(o, 4 + 4 * dim);
    view.setInt16(o + 4, dim);
    view.setInt16(o + 6, 0);
    o += 8;
    const start = offset + i * dim;
    for (let j = 0; j < dim; j++) {
      view.setFloat32(o, data[start + j] as number);
      o += 4;
    }
  }
  return bytes;
}
