/**
 * Small writers of PostgreSQL literals used by the index. Arrays and vectors are sent as
 * text literals because PGlite and `pg` serialise JS arrays of custom types differently.
 * @internal
 */

/** `[0.5,1,-2]`: pgvector's text input. `String` of a float32 value reads back to the same float32. */
export function vectorLiteral(data: Float32Array, offset: number, dim: number): string {
  let s = '[';
  for (let j = 0; j < dim; j++) {
    if (j > 0) s += ',';
    s += String(data[offset + j] as number);
  }
  return `${s}]`;
}

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

/** A CSV field for COPY: quoted when it holds a comma, quote, newline or is empty text; `null` is an empty unquoted field. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.replace(/"/g, '""')}"`;
}

/** A double-quoted SQL identifier (the table name is validated already; this keeps it safe anyway). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
