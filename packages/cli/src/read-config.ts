import { readFile } from 'node:fs/promises';
import { EmbError, quote } from '@emb/core';
import { type EmbConfig, parseEmbConfig } from './emb-config.js';

/** Reads and validates an `emb.config.json`. */
export async function readConfig(path: string): Promise<EmbConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmbError('NOT_FOUND', `Cannot read the config ${quote(path)}: ${(cause as Error).message}`, { path }, { cause });
  }
  let json: unknown;
  try {
    // Some editors (Notepad) start UTF-8 files with a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    throw new EmbError('INVALID_OPTION', `${path} is not valid JSON: ${(cause as Error).message}`, { path }, { cause });
  }
  return parseEmbConfig(json, path);
}
