import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests read the source: every workspace package name resolves to its src/index.ts.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: Record<string, string> = {};
for (const dir of ['packages', 'plugins']) {
  if (!existsSync(`${root}${dir}`)) continue;
  for (const name of readdirSync(`${root}${dir}`)) {
    const entry = `${root}${dir}/${name}/src/index.ts`;
    if (!existsSync(entry)) continue;
    const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(`${root}${dir}/${name}/package.json`, 'utf8')));
    alias[pkg.name] = entry;
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
