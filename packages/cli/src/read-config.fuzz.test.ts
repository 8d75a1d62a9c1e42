import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, isEmbError, type Rng } from '@emb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEmbConfig } from './emb-config.js';
import { readConfig } from './read-config.js';

// emb.config.json under fuzzing (issue 10): thousands of mutated configs give INVALID_OPTION
// (or a valid config), never another error, a hang or a crash.
const dir = mkdtempSync(join(tmpdir(), 'emb-config-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeds = [
  { dataset: { name: 'mnist-digits', perClass: 100 } },
  {
    $schema: './schema.json',
    plugins: ['@acme/emb-plugin'],
    backend: 'cpu',
    seed: 'run-1',
    dataset: { name: 'fashion-mnist', split: 'train', perClass: 200 },
    evalDataset: { name: 'fashion-mnist', split: 'test' },
    split: { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9] },
    model: { kind: 'cnn', filters: [32, 64], embeddingDim: 64 },
    loss: { name: 'triplet-margin', options: { margin: 0.2 } },
    miner: { name: 'triplet-margin', options: { margin: 0.2, typeOfTriplets: 'semihard' } },
    sampler: { name: 'm-per-class', options: { m: 4 } },
    optimizer: { name: 'adam', options: { learningRate: 0.001 } },
    epochs: 5,
    batchSize: 128,
    eval: { every: 1, metrics: ['precisionAt1'], enrolPerClass: 5, k: 3 },
    output: 'runs/a',
  },
  { dataset: { name: 'idx', images: 'a.idx', labels: 'b.idx' }, model: { kind: 'dense', hidden: [64], embeddingDim: 16 } },
].map((c) => JSON.stringify(c, null, 1));

const ODD = [
  'null',
  '-1',
  '0',
  '1e309',
  '-0',
  '"x"',
  '""',
  '[]',
  '{}',
  'true',
  '2.5',
  '"__proto__"',
  '{"__proto__":{"a":1}}',
  '"\\u0000"',
];

/** One of `list`, or undefined when it is empty. */
const pick = <T>(list: readonly T[], rng: Rng): T | undefined => (list.length === 0 ? undefined : list[rng.int(list.length)]);

function mutate(text: string, rng: Rng): string {
  let t = text;
  for (let e = 1 + rng.int(3); e > 0; e--) {
    const at = rng.int(t.length + 1);
    switch (rng.int(7)) {
      case 0: // delete a few characters
        t = t.slice(0, at) + t.slice(at + 1 + rng.int(6));
        break;
      case 1: // insert a structural character
        t = t.slice(0, at) + '{}[]:,"\\-.e0'.charAt(rng.int(13)) + t.slice(at);
        break;
      case 2: // truncate
        t = t.slice(0, at);
        break;
      case 3: {
        // replace a value with an odd one
        const values = [...t.matchAll(/: ?("[^"]*"|-?[\d.]+|true|false|null)/g)];
        const m = pick(values, rng);
        if (m?.index !== undefined) t = `${t.slice(0, m.index)}: ${ODD[rng.int(ODD.length)]}${t.slice(m.index + m[0].length)}`;
        break;
      }
      case 4: {
        // rename a key
        const keys = [...t.matchAll(/"(\w+)":/g)];
        const m = pick(keys, rng);
        if (m?.index !== undefined)
          t = `${t.slice(0, m.index)}"${m[1]}${'sx_'.charAt(rng.int(3))}":${t.slice(m.index + m[0].length)}`;
        break;
      }
      case 5: // deep nesting or a long string as a value
        t = t.replace(
          /"epochs": ?\d+|"perClass": ?\d+/,
          rng.int(2) === 0 ? `"epochs": ${'['.repeat(5000)}${']'.repeat(5000)}` : `"perClass": "${'x'.repeat(100_000)}"`,
        );
        break;
      default: {
        // a random byte
        const code = rng.int(256);
        t = t.slice(0, at) + String.fromCharCode(code) + t.slice(at + 1);
      }
    }
  }
  return t;
}

/** What readConfig does with `text`, without the file: JSON errors and schema errors alike. */
function outcome(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'json';
  }
  try {
    parseEmbConfig(json, 'fuzz.json');
    return 'ok';
  } catch (e) {
    if (!isEmbError(e))
      throw new Error(`parseEmbConfig threw a non-EmbError for ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`);
    expect(e.code).toBe('INVALID_OPTION');
    // Every problem line names a field (config.x) and the message is bounded in size.
    expect(e.message.length).toBeLessThan(20_000);
    return e.code;
  }
}

describe('emb.config.json under fuzzing', () => {
  it('parseEmbConfig gives only INVALID_OPTION (or a valid config) for 4,000 mutated configs', () => {
    const rng = createRng('config-fuzz');
    const counts = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < 4000; i++) {
      const result = outcome(mutate(seeds[i % seeds.length] as string, rng));
      counts.set(result, (counts.get(result) ?? 0) + 1);
    }
    expect(counts.get('INVALID_OPTION')).toBeGreaterThan(400);
    expect(counts.get('json')).toBeGreaterThan(400);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('readConfig turns every mutated file into a config or a typed error (300 files)', async () => {
    const rng = createRng('config-file-fuzz');
    for (let i = 0; i < 300; i++) {
      const path = join(dir, `c${i % 8}.json`);
      writeFileSync(path, mutate(seeds[i % seeds.length] as string, rng));
      try {
        await readConfig(path);
      } catch (e) {
        if (!isEmbError(e, 'INVALID_OPTION')) throw new Error(`readConfig threw ${String(e)}`);
      }
    }
  });
});
