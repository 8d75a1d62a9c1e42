import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@emb/core';
import { tripletMarginLoss } from '@emb/losses';
import { tripletMarginMiner } from '@emb/miners';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticClasses, tinyModel } from '../test/synthetic.js';
import type { Callback } from './callback.js';
import { earlyStopping } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { jsonLinesLogger } from './json-lines-logger.js';
import { progressBar } from './progress-bar.js';

const dir = mkdtempSync(join(tmpdir(), 'emb-callbacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLEAR_LINE = '\r\x1b[2K';
const train = () => syntheticClasses([0, 1, 2, 3], 12, 1);
const run = async (callbacks: Callback[], epochs = 3) => {
  const data = train();
  const model = tinyModel(1);
  const result = await fit({
    model,
    data: { kind: 'labelled', x: data.x, labels: data.labels },
    loss: tripletMarginLoss(),
    miner: tripletMarginMiner(),
    batchSize: 16,
    epochs,
    seed: 1,
    callbacks,
  });
  model.dispose();
  data.x.dispose();
  return result;
};

describe('callbacks', () => {
  beforeAll(async () => {
    await initBackend({ quiet: true });
  });

  it('earlyStopping stops once the monitored value has not improved for `patience` epochs', async () => {
    // A metric that only gets worse: stop after 1 (best) + 2 (patience) epochs.
    let value = 1;
    const worse: Callback = {
      name: 'worse',
      onEpochEnd: (_c, logs) => {
        logs.metrics.score = value--;
      },
    };
    const result = await run([worse, earlyStopping({ monitor: 'score', patience: 2 })], 10);
    expect(result).toMatchObject({ stopReason: 'stopped', completedEpochs: 3 });
    expect(result.stopMessage).toMatch(/score did not improve/);
    expect(() => earlyStopping({ patience: -1 })).toThrow(/patience/);
  });

  it('evaluate adds its metrics to the epoch logs every N epochs and after the last, and can use a separate reference set', async () => {
    const query = syntheticClasses([10, 11], 10, 3);
    const reference = syntheticClasses([10, 11], 20, 4);
    const evaluator = evaluate({
      query: query.x,
      queryLabels: query.labels,
      reference: reference.x,
      referenceLabels: reference.labels,
      every: 2,
      include: ['precisionAt1', 'rPrecision'],
    });
    const result = await run([evaluator], 3);
    expect(evaluator.results.map((r) => r.epoch)).toEqual([2, 3]);
    expect(Object.keys(result.history.epochs[1]?.metrics ?? {}).sort()).toEqual(['precisionAt1', 'rPrecision']);
    expect(result.history.epochs[0]?.metrics).toEqual({});
    tf.dispose([query.x, reference.x]);
  });

  it('progressBar draws a live line with rate, ETA, loss and mining statistics on a TTY, and plain lines otherwise', async () => {
    const tty: string[] = [];
    const plain: string[] = [];
    await run([progressBar({ stream: { isTTY: true, columns: 200, write: (t) => tty.push(t) }, refreshMs: 0 })], 2);
    await run([progressBar({ stream: { write: (t) => plain.push(t) }, everySteps: 2 })], 2);
    const live = tty.filter((t) => t.startsWith(`${CLEAR_LINE}epoch 1/2 [`));
    expect(live.length).toBeGreaterThan(1);
    expect(live[0]).toMatch(
      /\[#*-*\] 1\/3 .*step\/s {2}ETA \d+:\d\d {2}loss \d\.\d{4} {2}triplets \d+ d\+ \d\.\d{3} d- \d\.\d{3} {2}lr 1\.0e-3/,
    );
    const last = tty.at(-1) as string;
    expect(last.startsWith(CLEAR_LINE)).toBe(true);
    expect(last.slice(CLEAR_LINE.length)).toMatch(/^epoch 2\/2 {2}3 steps .* loss \d\.\d{4} {2}triplets/);
    expect(plain.every((t) => !t.includes('\r') && t.endsWith('\n'))).toBe(true);
    expect(plain.filter((t) => t.startsWith('epoch 1/2 step'))).toHaveLength(1);
    expect(plain.filter((t) => /^epoch \d\/2 {2}3 steps/.test(t))).toHaveLength(2);
  });

  it('jsonLinesLogger writes begin, step, epoch and end records, one JSON object per line', async () => {
    const path = join(dir, 'nested', 'log.jsonl');
    await run([jsonLinesLogger(path)], 2);
    const records = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.type)).toEqual([
      'begin',
      'step',
      'step',
      'step',
      'epoch',
      'step',
      'step',
      'step',
      'epoch',
      'end',
    ]);
    expect(records[1]).toMatchObject({
      type: 'step',
      epoch: 0,
      batch: 0,
      step: 1,
      loss: expect.any(Number),
      miner: { numTriplets: expect.any(Number) },
    });
    expect(records.at(-1)).toMatchObject({ type: 'end', stopReason: 'completed', steps: 6, completedEpochs: 2 });
  });
});
