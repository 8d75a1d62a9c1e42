import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbError, type EmbErrorCode, initBackend } from '@emb/core';
import { afterAll, beforeAll, describe, vi } from 'vitest';
import { type BadInputCase, badInputMatrix } from '../../core/test/bad-input-matrix.js';
import { parseEmbConfig } from './emb-config.js';
import { main } from './main.js';
import { readConfig } from './read-config.js';

// What the config loader and the `emb` command do with bad input (issue 10). Rendered into
// docs/bad-input/cli.md. Paths in messages are replaced by `<dir>` so the docs are stable.
const dir = mkdtempSync(join(tmpdir(), 'emb-cli-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const stable = (e: unknown) => {
  if (e instanceof Error) e.message = e.message.replaceAll(dir, '<dir>');
  throw e;
};
const read = (name: string, text: string) => readConfig(file(name, text)).catch(stable);

/**
 * Runs `emb ...args` in this process. A failure that `emb` reports as `emb <command>: CODE: message`
 * with exit code 1 is rethrown as that EmbError, so the matrix checks the code users see.
 */
async function emb(...args: string[]): Promise<number> {
  const lines: string[] = [];
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.map(String).join(' '));
  });
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const code = await main(args);
    const text = lines.join('\n').replaceAll(dir, '<dir>');
    const m = /^emb [\w-]+: ([A-Z_]+): ([\s\S]*)$/.exec(text);
    if (code === 1 && m) throw new EmbError(m[1] as EmbErrorCode, m[2] as string);
    if (code !== 0) throw new Error(`emb exited ${code}: ${text}`);
    return code;
  } finally {
    error.mockRestore();
    log.mockRestore();
  }
}

const minimal = { dataset: { name: 'mnist-digits' } };

const cases: BadInputCase[] = [
  {
    entry: 'readConfig',
    input: 'a missing file',
    outcome: 'NOT_FOUND',
    quotes: '"<dir>/missing.json"',
    run: () => readConfig(join(dir, 'missing.json')).catch(stable),
  },
  {
    entry: 'readConfig',
    input: 'invalid JSON (a trailing comma)',
    outcome: 'INVALID_OPTION',
    quotes: /<dir>\/comma.json is not valid JSON/,
    run: () => read('comma.json', '{ "dataset": { "name": "mnist-digits" }, }'),
  },
  {
    entry: 'readConfig',
    input: 'an empty file',
    outcome: 'INVALID_OPTION',
    quotes: /empty.json is not valid JSON/,
    run: () => read('empty.json', ''),
  },
  {
    entry: 'readConfig',
    input: 'a JSON array instead of an object',
    outcome: 'INVALID_OPTION',
    quotes: /must be a JSON object .*got \[1, 2\]/,
    run: () => read('array.json', '[1, 2]'),
  },
  {
    entry: 'readConfig',
    input: 'JSON null',
    outcome: 'INVALID_OPTION',
    quotes: /must be a JSON object .*got null/,
    run: () => read('null.json', 'null'),
  },
  {
    entry: 'readConfig',
    input: 'a UTF-8 byte-order mark before the JSON',
    outcome: 'ok',
    result: 'read as if the mark were absent (editors on Windows write one)',
    run: () => read('bom.json', `\uFEFF${JSON.stringify(minimal)}`),
  },
  {
    entry: 'parseEmbConfig',
    input: 'no dataset',
    outcome: 'INVALID_OPTION',
    quotes: /config.dataset: /,
    run: () => parseEmbConfig({}),
  },
  {
    entry: 'parseEmbConfig',
    input: 'a misspelt field',
    outcome: 'INVALID_OPTION',
    quotes: /config.epoch: unknown field \(remove it or check its spelling\)/,
    run: () => parseEmbConfig({ ...minimal, epoch: 3 }),
  },
  {
    entry: 'parseEmbConfig',
    input: 'a field of the wrong type',
    outcome: 'INVALID_OPTION',
    quotes: /config.batchSize: .*"128"/,
    run: () => parseEmbConfig({ ...minimal, batchSize: '128' }),
  },
  {
    entry: 'parseEmbConfig',
    input: 'an unknown dataset name',
    outcome: 'INVALID_OPTION',
    quotes: /config.dataset.name: .*"cifar10"/,
    run: () => parseEmbConfig({ dataset: { name: 'cifar10' } }),
  },
  {
    entry: 'parseEmbConfig',
    input: 'a negative number of classes / a non-integer epochs',
    outcome: 'INVALID_OPTION',
    quotes: /config.epochs: .*2.5/,
    run: () => parseEmbConfig({ ...minimal, epochs: 2.5, split: { trainClasses: [-1.5] } }),
  },
  {
    entry: 'emb train --config',
    input: 'a config naming an unknown loss',
    outcome: 'UNKNOWN_ENTRY',
    quotes: /"tripletmargin".*triplet-margin/,
    run: () =>
      emb(
        'train',
        '--config',
        file('unknown-loss.json', JSON.stringify({ ...minimal, loss: 'tripletmargin' })),
        '--out',
        join(dir, 'run1'),
      ),
  },
  {
    entry: 'emb train --config',
    input: 'a config with a bad loss option',
    outcome: 'INVALID_OPTION',
    quotes: /config.loss: .*"margin".*-1|config.loss: .*"margin"/,
    run: () =>
      emb(
        'train',
        '--config',
        file('bad-option.json', JSON.stringify({ ...minimal, loss: { name: 'triplet-margin', options: { margin: 'wide' } } })),
        '--out',
        join(dir, 'run2'),
      ),
  },
  {
    entry: 'emb train --config',
    input: 'malformed JSON',
    outcome: 'INVALID_OPTION',
    quotes: /not valid JSON/,
    run: () => emb('train', '--config', file('broken.json', '{"dataset": {"name": "mnist-digits"'), '--out', join(dir, 'run3')),
  },
  {
    entry: 'emb index info --index',
    input: 'a file that is not an index',
    outcome: 'CORRUPT_FILE',
    quotes: /Not a valid emb index file: it is 19 bytes long/,
    run: () => emb('index', 'info', '--index', file('not-an-index.embidx', 'hello, this is text')),
  },
  {
    entry: 'emb index info --index',
    input: 'a missing file',
    outcome: 'IO',
    quotes: /"<dir>\/none.embidx"/,
    run: () => emb('index', 'info', '--index', join(dir, 'none.embidx')),
  },
];

describe('bad input to @emb/cli', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  badInputMatrix('cli', '@emb/cli (emb.config.json and the emb command)', cases);
});
