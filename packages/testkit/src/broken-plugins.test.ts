import { createRegistry, EmbError, specificationVersion } from '@emb/core';
import { exactIndex, exactIndexFromBytes } from '@emb/index';
import { describe, expect, it } from 'vitest';
import type { Finding } from './conformance-check.js';
import { checkDistance } from './describe-distance.js';
import { checkIndex } from './describe-index.js';
import { checkLoss } from './describe-loss.js';
import { checkMiner } from './describe-miner.js';
import { checkSampler } from './describe-sampler.js';
import * as broken from './test-fixtures/broken-plugins.js';

// Each broken plugin breaks one rule; the testkit must report it by name, with a message that
// says what is wrong. One backend keeps the file quick (the suites default to wasm and cpu).
const wasm = { backends: ['wasm'] } as const;

/** The finding of the check whose name contains `check`, failing when there is none. */
function finding(findings: Finding[], check: string): Finding {
  const found = findings.find((f) => f.check.includes(check));
  if (!found) throw new Error(`no finding for '${check}'; findings: ${JSON.stringify(findings, null, 1)}`);
  return found;
}

describe('the conformance suites catch broken plugins', () => {
  it('checkLoss reports a NaN gradient with the index of the first bad entry', async () => {
    const findings = await checkLoss(broken.nanGradientLoss, {
      ...wasm,
      leakCalls: 5,
      ignoresIndices: true,
      noRefEmbeddings: true,
    });
    expect(finding(findings, 'gradients that match').message).toMatch(
      /loss 'acme\/nan-gradient': gradient is NaN at index \[\d+\]\[\d+\] on a random batch/,
    );
  });

  it('checkLoss reports tensors leaked per call', async () => {
    const findings = await checkLoss(broken.leakyLoss, { ...wasm, leakCalls: 5, ignoresIndices: true, noRefEmbeddings: true });
    expect(findings.map((f) => f.check)).toEqual(['leaks no tensors']);
    expect(findings[0]?.message).toMatch(/loss 'acme\/leaky': compute\(\) leaked 3 tensors per call \(15 over 5 calls\)/);
  });

  it('checkLoss reports a component built for another specificationVersion', async () => {
    const findings = await checkLoss(broken.futureVersionLoss, {
      ...wasm,
      leakCalls: 5,
      ignoresIndices: true,
      noRefEmbeddings: true,
    });
    expect(finding(findings, 'contract version').message).toMatch(
      /loss 'acme\/future' targets specificationVersion 2; this @emb\/core supports 1/,
    );
  });

  it('the registry refuses a plugin built for another specificationVersion and says which versions match', () => {
    const registry = createRegistry();
    let error: unknown;
    try {
      registry.use({ name: '@acme/emb-plugin-future', specificationVersion: 2, entries: [broken.leakyLoss] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmbError);
    expect((error as EmbError).code).toBe('SPEC_VERSION');
    expect((error as EmbError).message).toMatch(
      /"@acme\/emb-plugin-future" was built for emb specification version 2.*supports 1/,
    );
    expect(registry.has('loss', 'acme/leaky')).toBe(false);
    expect(() => registry.use({ name: '@acme/ok', specificationVersion, entries: [broken.leakyLoss] })).not.toThrow();
  });

  it('the registry refuses an entry without an option schema, and the suite reports it', async () => {
    expect(() => createRegistry().register(broken.schemaLessLoss)).toThrowError(/"acme\/schema-less" has no option schema/);
    const findings = await checkLoss(broken.schemaLessLoss, { ...wasm, leakCalls: 1 });
    expect(finding(findings, 'created through the registry').message).toMatch(
      /has no option schema: set `options` to a Standard Schema/,
    );
  });

  it('checkLoss reports a schema that lets an unknown option through', async () => {
    const findings = await checkLoss(broken.permissiveLoss, {
      ...wasm,
      leakCalls: 1,
      ignoresIndices: true,
      noRefEmbeddings: true,
    });
    expect(findings.map((f) => f.check)).toEqual(['rejects an unknown option and bad option values with a clear EmbError']);
    expect(findings[0]?.message).toMatch(
      /loss 'acme\/permissive' accepted the unknown option "notAnOptionOfThisEntry".*strictObject/,
    );
  });

  it('checkMiner reports a row paired with itself', async () => {
    const findings = await checkMiner(broken.selfPairMiner, { ...wasm, leakCalls: 2 });
    expect(finding(findings, 'valid tuples').message).toMatch(
      /miner 'acme\/self-pairs': posAnchors\[0\] = positives\[0\] = 0: a row is paired with itself/,
    );
  });

  it('checkMiner reports tensors leaked per call', async () => {
    const findings = await checkMiner(broken.leakyMiner, { ...wasm, leakCalls: 4 });
    expect(findings.map((f) => f.check)).toEqual(['leaks no tensors']);
    expect(findings[0]?.message).toMatch(/miner 'acme\/leaky-miner': mine\(\) leaked 2 tensors per call/);
  });

  it('checkMiner reports a miner that depends on the order of the batch', async () => {
    const findings = await checkMiner(broken.orderDependentMiner, { ...wasm, leakCalls: 2 });
    expect(finding(findings, 'permuting the batch').message).toMatch(
      /after permuting the batch the tuples are not the permuted tuples/,
    );
  });

  it('checkSampler reports a short batch and a sampler that ignores its rng', async () => {
    const short = await checkSampler(broken.shortBatchSampler, { ...wasm, options: { batchSize: 10 }, deterministic: true });
    expect(finding(short, 'promised size').message).toMatch(
      /sampler 'acme\/chunks': batch 4 has 8 rows; the sampler promises 10/,
    );
    const unseeded = await checkSampler(broken.unseededSampler, wasm);
    expect(finding(unseeded, 'same seed').message).toMatch(/same options and createRng\(5\) gave different batches/);
  });

  it('checkDistance reports a NaN gradient at coincident points and a wrong isInverted', async () => {
    const nan = await checkDistance(broken.plainSqrtDistance, { ...wasm, leakCalls: 2 });
    expect(finding(nan, 'coincident').message).toMatch(
      /the gradient of sum\(pairwise\(x\)\) is NaN at index \[0\]\[0\] where rows coincide; use a safe sqrt/,
    );
    const inverted = await checkDistance(broken.wronglyInvertedDistance, { ...wasm, leakCalls: 2 });
    expect(finding(inverted, 'isInverted').message).toMatch(
      /with isInverted true, a near copy of a row should have a larger value/,
    );
  });

  it('checkIndex reports an ignored filter, farthest-first results and a remove that keeps vectors', async () => {
    const filter = await checkIndex(broken.filterIgnoringIndex, { ...wasm, name: 'acme/no-filter' });
    expect(finding(filter, 'filters').message).toMatch(/index 'acme\/no-filter': search with a metadata filter/);
    const reversed = await checkIndex(broken.reversedIndex, { ...wasm, name: 'acme/reversed' });
    expect(finding(reversed, 'adds vectors').message).toMatch(/results are not nearest first/);
    const sticky = await checkIndex(broken.stickyIndex, { ...wasm, name: 'acme/sticky' });
    expect(finding(sticky, 'removes').message).toMatch(/remove\(\) of 10 stored ids and one unknown id returned 11; expected 10/);
  });

  it('an index given as a factory, not a registry entry, passes when it is correct', async () => {
    const findings = await checkIndex((o) => exactIndex(o as { dim: number }), {
      ...wasm,
      options: { dim: 8, distance: 'cosine' },
      load: (bytes) => exactIndexFromBytes(bytes),
    });
    expect(findings).toEqual([]);
  });
});
