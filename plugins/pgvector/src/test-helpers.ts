import { createRng, isEmbError } from '@emb/core';

/** `n` random rows of `dim` normal values, seeded. @internal */
export function randomRows(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** The EmbError code a call or promise fails with, or `undefined` when it succeeds. @internal */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isEmbError(e)) return e.code;
    throw e;
  }
  return undefined;
}

/** The message of the EmbError a promise rejects with. @internal */
export async function messageOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return '';
}

/**
 * A fresh PGlite data directory with pgvector enabled, copied from a template made once per
 * machine (initdb inside WASM costs seconds; reopening a copied directory well under one).
 * Parallel test files race to make the template; the loser's rename fails harmlessly.
 * @internal
 */
export async function freshDataDir(): Promise<string> {
  const { cpSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const template = join(tmpdir(), 'emb-pgvector-pglite-0.5.14-template');
  if (!existsSync(join(template, 'READY'))) {
    const building = mkdtempSync(join(tmpdir(), 'emb-pgvector-template-'));
    const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
    const db = await PGlite.create({ dataDir: join(building, 'db'), extensions: { vector } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await db.close();
    writeFileSync(join(building, 'db', 'READY'), '');
    try {
      renameSync(join(building, 'db'), template);
    } catch {
      // Another test file made it first.
    }
    rmSync(building, { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(tmpdir(), 'emb-pgvector-test-'));
  cpSync(template, join(dir, 'db'), { recursive: true });
  rmSync(join(dir, 'db', 'READY'));
  return join(dir, 'db');
}
