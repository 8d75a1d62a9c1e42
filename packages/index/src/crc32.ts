// CRC-32 (IEEE 802.3, the one zlib, PNG and gzip use), slicing-by-4 so that checking a
// 50 MB index costs tens of milliseconds rather than hundreds.
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TABLES = (() => {
  const t = new Uint32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number;
    for (let s = 1; s < 4; s++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8);
      t[s * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/**
 * The CRC-32 (IEEE) of `bytes[start, end)`: the same value as zlib's `crc32`. Index backends
 * use it as the checksum of their file format so that a damaged file throws `CORRUPT_FILE`
 * instead of loading wrong vectors (the exact index's format ends with it).
 *
 * @example
 * view.setUint32(end, crc32(bytes, 0, end), true); // write
 * if (crc32(bytes, 0, bytes.length - 4) !== view.getUint32(bytes.length - 4, true)) throw corrupt();
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let c = 0xffffffff;
  let i = start;
  // Whole aligned 32-bit words at once where the platform is little-endian (all current
  // JS engines in practice): about twice as fast as assembling words from bytes.
  if (littleEndian) {
    while (i < end && (bytes.byteOffset + i) & 3) c = (t[(c ^ (bytes[i++] as number)) & 0xff] as number) ^ (c >>> 8);
    const words = (end - i) >> 2;
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let j = 0; j < words; j++) {
      c ^= w[j] as number;
      c =
        (t[768 + (c & 0xff)] as number) ^
        (t[512 + ((c >>> 8) & 0xff)] as number) ^
        (t[256 + ((c >>> 16) & 0xff)] as number) ^
        (t[c >>> 24] as number);
    }
    i += words * 4;
  }
  for (; i < end; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
