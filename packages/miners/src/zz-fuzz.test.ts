import { readFileSync } from 'node:fs';
import { initBackend } from '@emb/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { minerFromSpec, sortPmlTuple, toPmlTuple } from './test-utils/golden-specs.js';

const golden = JSON.parse(readFileSync('/tmp/mw/fuzz.json', 'utf8'));
describe('fuzz vs PML 2.9.0', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  it('matches', () => {
    const bad: string[] = [];
    for (const c of golden.cases) {
      const miner = minerFromSpec(c.miner, c.distance);
      const embeddings = tf.tensor2d(c.inputs.embeddings);
      const refEmbeddings = c.inputs.ref_emb ? tf.tensor2d(c.inputs.ref_emb) : undefined;
      const out = miner.mine({
        embeddings,
        labels: c.inputs.labels,
        ...(refEmbeddings ? { refEmbeddings, refLabels: c.inputs.ref_labels } : {}),
      });
      const got = toPmlTuple(out);
      const exp = c.expected.pml_order;
      if (JSON.stringify(sortPmlTuple(got)) !== JSON.stringify(sortPmlTuple(exp)))
        bad.push(
          `${c.name} ${JSON.stringify(c.miner)} ${JSON.stringify(c.distance)}\n got ${JSON.stringify(got)}\n exp ${JSON.stringify(exp)}`,
        );
      else if (
        JSON.stringify(c.miner.class === 'MultiSimilarityMiner' ? got.slice(0, 2) : got) !==
        JSON.stringify(c.miner.class === 'MultiSimilarityMiner' ? exp.slice(0, 2) : exp)
      )
        bad.push(`ORDER ${c.name}`);
      tf.dispose([embeddings, ...(refEmbeddings ? [refEmbeddings] : [])]);
    }
    console.log(`${golden.cases.length} cases, ${bad.length} mismatches\n${bad.slice(0, 12).join('\n')}`);
    expect(bad.length).toBe(0);
  });
});
