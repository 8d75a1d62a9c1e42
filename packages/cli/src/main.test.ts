import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runEmb } from './run-emb.test-util.js';

describe('the emb command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emb-cli-'));
  beforeAll(assertBuilt);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emb --help lists the commands and emb --version prints the version', async () => {
    const help = await runEmb(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['demo', 'train', 'eval', 'index', 'bench']) expect(help.stdout).toContain(`  ${c}`);
    const version = await runEmb(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const demoHelp = await runEmb(['demo', '--help']);
    expect(demoHelp.stdout).toContain('--dataset <name>');
  });

  it('emb exits 2 with the help on an unknown command or flag', async () => {
    const unknown = await runEmb(['trian']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "trian"');
    const flag = await runEmb(['demo', '--epoch', '3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--epoch/);
    const bad = await runEmb(['demo', '--dataset', 'cifar']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--dataset must be mnist or fashion-mnist, got "cifar"');
  });

  it('emb train rejects an invalid config with one line per wrong field, before loading any data', async () => {
    const path = join(dir, 'bad.config.json');
    writeFileSync(
      path,
      JSON.stringify({
        dataset: { name: 'mnist-digits' },
        model: { kind: 'cnn', embeddingDim: 0 },
        epochs: 'two',
        optimiser: 'adam',
      }),
    );
    const { code, stderr } = await runEmb(['train', '--config', path]);
    expect(code).toBe(1);
    expect(stderr).toContain('INVALID_OPTION');
    expect(stderr).toMatch(/- config\.model\.embeddingDim: .*received 0/);
    expect(stderr).toMatch(/- config\.epochs: .*received "two"/);
    expect(stderr).toContain('- config.optimiser: unknown field');
  });

  it('emb train names the config field when a registry entry rejects its options', async () => {
    const path = join(dir, 'bad-loss.config.json');
    writeFileSync(
      path,
      JSON.stringify({ dataset: { name: 'mnist-digits' }, loss: { name: 'triplet-margin', options: { margin: 'wide' } } }),
    );
    const { code, stderr } = await runEmb(['train', '--config', path, '--out', join(dir, 'bad-loss')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/config\.loss: .*"margin".*"wide"/);
    const unknown = join(dir, 'unknown-loss.config.json');
    writeFileSync(unknown, JSON.stringify({ dataset: { name: 'mnist-digits' }, loss: 'acme/unit-norm' }));
    const second = await runEmb(['train', '--config', unknown, '--out', join(dir, 'unknown-loss')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/UNKNOWN_ENTRY: .*"acme\/unit-norm".*triplet-margin/);
  });

  it('emb bench times a training step of the demo network', async () => {
    const { code, stdout } = await runEmb(['bench', '--steps', '1', '--batch-size', '16']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/training step: median \d+(\.\d+)? ms over 1 steps/);
  });
});
