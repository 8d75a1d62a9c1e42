import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePgvectorSchema, pgliteExecutor, pgvectorIndex, pgvectorSchemaVersion } from './index.js';
import { codeOf, freshDataDir, messageOf } from './test-helpers.js';

let dataDir: string;
let executor: ReturnType<typeof pgliteExecutor>;
beforeAll(async () => {
  dataDir = await freshDataDir();
  executor = pgliteExecutor({ dataDir });
});
afterAll(async () => {
  await executor.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

describe('pgvector schema migrations', () => {
  it('migratePgvectorSchema applies every migration once and records it', async () => {
    const first = await migratePgvectorSchema(executor, { table: 'm1', dim: 4, metric: 'l2' });
    expect(first.from).toBe(0);
    expect(first.to).toBe(pgvectorSchemaVersion);
    expect(first.applied.map((m) => m.version)).toEqual([1, 2]);
    const again = await migratePgvectorSchema(executor, { table: 'm1', dim: 4, metric: 'l2' });
    expect(again).toEqual({ from: pgvectorSchemaVersion, to: pgvectorSchemaVersion, applied: [] });
    const { rows } = await executor.query<{ version: number }>(
      "SELECT version FROM emb_migrations WHERE tbl = 'm1' ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('migratePgvectorSchema upgrades a table left at an older version', async () => {
    await migratePgvectorSchema(executor, { table: 'm2', dim: 3, metric: 'cosine' });
    // Undo migration 2 as if the table came from an older release.
    await executor.query('DROP INDEX m2_label');
    await executor.query('DROP INDEX m2_metadata');
    await executor.query("DELETE FROM emb_migrations WHERE tbl = 'm2' AND version = 2");
    const report = await migratePgvectorSchema(executor, { table: 'm2', dim: 3, metric: 'cosine' });
    expect(report.from).toBe(1);
    expect(report.applied.map((m) => m.name)).toEqual(['label and metadata filter indexes']);
    const { rows } = await executor.query("SELECT indexname FROM pg_indexes WHERE tablename = 'm2' AND indexname = 'm2_label'");
    expect(rows).toHaveLength(1);
  });

  it('pgvectorIndex refuses a table with a newer schema version (UNSUPPORTED_VERSION) and leaves it alone', async () => {
    const index = pgvectorIndex({ dim: 4, executor, table: 'm3' });
    await index.add([[1, 2, 3, 4]]);
    await executor.query("INSERT INTO emb_migrations (tbl, version, name) VALUES ('m3', 99, 'from the future')");
    const reopened = pgvectorIndex({ dim: 4, executor, table: 'm3' });
    expect(await codeOf(reopened.size())).toBe('UNSUPPORTED_VERSION');
    expect(await messageOf(reopened.ready())).toMatch(
      /table "m3" has schema version 99, newer than the 2 .*upgrade @emb\/plugin-pgvector/,
    );
    const { rows } = await executor.query<{ n: number }>('SELECT count(*)::integer AS n FROM m3');
    expect(rows[0]?.n).toBe(1);
  });

  it('pgvectorIndex refuses to reopen a table with another dimension or metric', async () => {
    await pgvectorIndex({ dim: 4, executor, table: 'm4', distance: 'cosine' }).ready();
    const wrongDim = pgvectorIndex({ dim: 5, executor, table: 'm4', distance: 'cosine' });
    expect(await codeOf(wrongDim.ready())).toBe('DIMENSION_MISMATCH');
    expect(await messageOf(wrongDim.ready())).toMatch(/holds 4-D vectors but the index was opened with dim 5/);
    const wrongMetric = pgvectorIndex({ dim: 4, executor, table: 'm4', distance: 'l2' });
    expect(await messageOf(wrongMetric.ready())).toMatch(/created with distance "cosine" but opened with "l2"/);
  });
});
