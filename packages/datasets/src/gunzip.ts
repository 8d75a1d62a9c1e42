import { EmbError, quote } from '@emb/core';

/** Options of {@link gunzip}. */
export interface GunzipOptions {
  /** Refuse to inflate beyond this many bytes (a gzip bomb guard). Default 1 GiB. */
  readonly maxBytes?: number;
}

/**
 * Decompresses gzip bytes with the platform's `DecompressionStream` (Node 18+ and every
 * current browser). Output is collected chunk by chunk as it is produced, never sized from
 * the gzip trailer, and stops with `CORRUPT_FILE` past `maxBytes`.
 *
 * @throws {EmbError} `CORRUPT_FILE` for damaged or truncated gzip data, or output over `maxBytes`.
 * @example
 * const raw = await gunzip(gzBytes);
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (!(typeof maxBytes === 'number' && maxBytes > 0)) {
    throw new EmbError('INVALID_OPTION', `gunzip: maxBytes must be a positive number, got ${quote(maxBytes)}.`, {
      option: 'maxBytes',
    });
  }
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Errors surface on the reading side; the writer's promises only need to be observed.
  const writing = writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new EmbError(
          'CORRUPT_FILE',
          `gzip data inflates to more than ${maxBytes} bytes; raise maxBytes if the file is genuinely that large.`,
          { maxBytes },
        );
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof EmbError) throw cause;
    throw new EmbError('CORRUPT_FILE', `Damaged gzip data: ${(cause as Error)?.message ?? String(cause)}.`, {}, { cause });
  } finally {
    await writing;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
