// The check* runners work under plain node from the built package (no vitest runner), so a
// plugin's CI or a catalogue script can grade a component without vitest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { specificationVersion, toLabels } from '@emb/core';
import { checkSampler } from '@emb/testkit';

const schema = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) => {
      const keys = Object.keys(value ?? {}).filter((k) => k !== 'batchSize');
      return keys.length ? { issues: keys.map((k) => ({ message: 'Unknown option', path: [k] })) } : { value: value ?? {} };
    },
  },
};

/** Shuffled batches of 8 rows drawn from the rng (seeded) or from Math.random (broken). */
const sampler = (name, random) => ({
  kind: 'sampler',
  name,
  options: schema,
  create: () => ({
    specificationVersion,
    name,
    options: {},
    epoch(labels, rng) {
      const n = toLabels(labels).length;
      const rows = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      if (random) rows.sort(() => Math.random() - 0.5);
      return Array.from({ length: Math.floor(n / 8) }, (_, b) => Int32Array.from(rows.slice(b * 8, b * 8 + 8)));
    },
  }),
});

test('checkSampler grades a sampler under plain node', async () => {
  assert.deepEqual(
    await checkSampler(sampler('acme/seeded', false), { backends: ['wasm'], batchSize: 8, coversEpoch: true }),
    [],
  );
  const findings = await checkSampler(sampler('acme/unseeded', true), { backends: ['wasm'], batchSize: 8 });
  assert.equal(findings[0]?.check, 'gives the same batches for the same seed and different ones for another seed');
  assert.match(findings[0]?.message ?? '', /gave different batches; draw every random choice from the rng argument/);
});
