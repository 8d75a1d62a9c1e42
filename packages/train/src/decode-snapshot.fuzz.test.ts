import { createRng, initBackend, isEmbError, type Rng } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import { decodeSnapshot } from './decode-snapshot.js';
import { encodeSnapshot } from './encode-snapshot.js';
import { fit } from './fit.js';
import { crc32 } from './internal/crc32.js';
import type { TrainingSnapshot } from './training-snapshot.js';

// Checkpoint files under fuzzing (issue 10): thousands of damaged or doctored files must give
// CORRUPT_FILE / UNSUPPORTED_VERSION (or, when the doctored file is still consistent, a
// snapshot whose tensors agree with their shapes), never another error, a hang, or a huge
// allocation.

let real: Uint8Array;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  // A real checkpoint: Adam state, loss history and RNG states of a short fit.
  const data = syntheticClasses([0, 1, 2], 8, 3);
  const model = tf.tidy(() => tinyModel(4) as never) as ReturnType<typeof tinyModel>;
  let snapshot: TrainingSnapshot | undefined;
  await fit({
    model,
    data: { kind: 'labelled', x: data.x, labels: data.labels },
    loss: tripletMarginLoss(),
    epochs: 2,
    batchSize: 12,
    seed: 9,
    callbacks: [
      {
        name: 'grab',
        onTrainEnd: async (ctx) => {
          snapshot = await ctx.snapshot();
        },
      },
    ],
  });
  model.dispose();
  data.x.dispose();
  real = encodeSnapshot(snapshot as TrainingSnapshot);
});

const ALLOWED = ['CORRUPT_FILE', 'UNSUPPORTED_VERSION'];

/** Re-lays out a file around a new header text (valid lengths, padding and checksum). */
function rebuild(original: Uint8Array, header: string): Uint8Array {
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const oldLength = view.getUint32(12, true);
  const oldStart = Math.ceil((16 + oldLength) / 8) * 8;
  const data = original.subarray(oldStart, original.length - 4);
  const h = new TextEncoder().encode(header);
  const start = Math.ceil((16 + h.length) / 8) * 8;
  const out = new Uint8Array(start + data.length + 4);
  out.set(original.subarray(0, 12));
  const v = new DataView(out.buffer);
  v.setUint32(12, h.length, true);
  out.set(h, 16);
  out.set(data, start);
  v.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

const headerOf = (b: Uint8Array) =>
  new TextDecoder().decode(b.subarray(16, 16 + new DataView(b.buffer, b.byteOffset).getUint32(12, true)));
const withCrc = (b: Uint8Array) => {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
  return b;
};

const WEIRD = [
  'null',
  '-1',
  '1e308',
  '"x"',
  '[]',
  '{}',
  '4294967296',
  '0.5',
  'true',
  '{"$number":"NaN"}',
  '{"$array":"float32","offset":0,"length":1}',
];

/** One random doctoring of the header JSON: a value, a field name or a structural token. */
function mutateHeader(header: string, rng: Rng): string {
  switch (rng.int(5)) {
    case 0: {
      // Replace one number with an odd value.
      const numbers = [...header.matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/g)];
      const m = numbers[rng.int(numbers.length)];
      if (!m || m.index === undefined) return header;
      return header.slice(0, m.index) + (WEIRD[rng.int(WEIRD.length)] as string) + header.slice(m.index + m[0].length);
    }
    case 1: {
      // A huge array length or offset: must not allocate.
      const field = rng.int(2) === 0 ? 'length' : 'offset';
      const all = [...header.matchAll(new RegExp(`"${field}":(\\d+)`, 'g'))];
      const m = all[rng.int(all.length)];
      if (!m || m.index === undefined) return header;
      const huge = [2 ** 31, 2 ** 32 - 1, 2 ** 53, 1e12, -8][rng.int(5)] as number;
      return `${header.slice(0, m.index)}"${field}":${huge}${header.slice(m.index + m[0].length)}`;
    }
    case 2: {
      // Another dtype or shape.
      return rng.int(2) === 0
        ? header.replace(
            /"\$array":"(float32|int32|uint8)"/,
            `"$array":"${['float64', 'int32', 'uint8', 'float32'][rng.int(4)]}"`,
          )
        : header.replace(/"shape":\[(\d+)/, (_all, d) => `"shape":[${Number(d) + 1 + rng.int(3)}`);
    }
    case 3: {
      // Drop a top-level field.
      const fields = ['model', 'optimizer', 'rng', 'history', 'step', 'seed', 'callbacks', 'lossVariables'];
      const f = fields[rng.int(fields.length)] as string;
      const parsed = JSON.parse(header) as Record<string, unknown>;
      delete parsed[f];
      return JSON.stringify(parsed);
    }
    default: {
      // Cut or corrupt the JSON text itself.
      const at = rng.int(header.length);
      return rng.int(2) === 0
        ? header.slice(0, at)
        : `${header.slice(0, at)}${'{}[],:"\\'.charAt(rng.int(9))}${header.slice(at)}`;
    }
  }
}

function mutateBytes(b: Uint8Array, rng: Rng): Uint8Array {
  const out = Uint8Array.from(b);
  switch (rng.int(4)) {
    case 0:
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const i = rng.int(out.length);
        out[i] = (out[i] as number) ^ (1 << rng.int(8));
      }
      return out;
    case 1:
      return out.slice(0, rng.int(out.length));
    case 2: {
      // Header length or version fields with extreme values.
      const field = [8, 12][rng.int(2)] as number;
      new DataView(out.buffer).setUint32(field, [0, 1, 2, 0xffffffff, rng.int(1 << 20)][rng.int(5)] as number, true);
      return out;
    }
    default: {
      const at = rng.int(out.length - 4);
      for (let i = at; i < Math.min(at + 1 + rng.int(32), out.length - 4); i++) out[i] = rng.int(256);
      return out;
    }
  }
}

/** Decodes; returns the code of the typed error, or 'ok' after checking the snapshot is consistent. */
function outcome(bytes: Uint8Array): string {
  let s: TrainingSnapshot;
  try {
    s = decodeSnapshot(bytes, 'fuzzed.embtrain');
  } catch (e) {
    if (!isEmbError(e)) throw new Error(`a non-EmbError escaped decodeSnapshot: ${String(e)}`);
    return e.code;
  }
  for (const t of [...s.model, ...s.optimizer.weights, ...s.optimizer.extra, ...s.lossVariables]) {
    expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
  }
  return 'ok';
}

describe('decodeSnapshot under fuzzing', () => {
  it('decodeSnapshot gives only CORRUPT_FILE or UNSUPPORTED_VERSION for 3,000 damaged or doctored checkpoints', () => {
    const rng = createRng('snapshot-fuzz');
    const counts = new Map<string, number>();
    const t0 = performance.now();
    for (let trial = 0; trial < 3000; trial++) {
      let b: Uint8Array;
      if (trial % 2 === 0) {
        b = mutateBytes(real, rng);
        // Half of the byte mutations get a recomputed checksum, so the checks behind it run.
        if (b.length >= 20 && rng.int(2) === 0) withCrc(b);
      } else {
        b = rebuild(real, mutateHeader(headerOf(real), rng));
      }
      const code = outcome(b);
      counts.set(code, (counts.get(code) ?? 0) + 1);
      if (code !== 'ok') expect(ALLOWED).toContain(code);
    }
    expect(counts.get('CORRUPT_FILE')).toBeGreaterThan(2000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('a header that claims a huge array, header or file is rejected without allocating it', () => {
    const header = headerOf(real);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    for (const doctored of [
      rebuild(real, header.replace(/"length":\d+/, `"length":${2 ** 31}`)),
      rebuild(real, header.replace(/"length":\d+/, `"length":${2 ** 53}`)),
      rebuild(real, header.replace(/"offset":\d+/, `"offset":${2 ** 32}`)),
      withCrc(Uint8Array.from(real).fill(0xff, 12, 16)), // header length 4 GiB - 1
    ]) {
      expect(outcome(doctored)).toBe('CORRUPT_FILE');
    }
    expect(performance.now() - t0).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('a consistent but doctored tensor (shape without the values) is CORRUPT_FILE, not a snapshot fit would misread', () => {
    const header = headerOf(real);
    const doctored = rebuild(
      real,
      header.replace(/"shape":\[(\d+),(\d+)\]/, (_all, a, b) => `"shape":[${b},${a},2]`),
    );
    expect(outcome(doctored)).toBe('CORRUPT_FILE');
    expect(() => decodeSnapshot(doctored, 'x.embtrain')).toThrow(/has shape \[\d+, ?\d+, ?2\] but \d+ values/);
  });
});
