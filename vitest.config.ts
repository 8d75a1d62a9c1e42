import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests read the source: every workspace package name (and its subpath exports such as
// `@emb/index/node`) resolves to the matching file in its src/.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: { find: RegExp; replacement: string }[] = [];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
for (const dir of ['packages', 'plugins']) {
  if (!existsSync(`${root}${dir}`)) continue;
  for (const name of readdirSync(`${root}${dir}`)) {
    const base = `${root}${dir}/${name}`;
    if (!existsSync(`${base}/src/index.ts`) || !existsSync(`${base}/package.json`)) continue;
    const pkg = JSON.parse(readFileSync(`${base}/package.json`, 'utf8')) as { name: string; exports?: Record<string, unknown> };
    for (const subpath of Object.keys(pkg.exports ?? { '.': null })) {
      if (subpath === './package.json') continue;
      const file = subpath === '.' ? 'index' : subpath.slice(2);
      if (!existsSync(`${base}/src/${file}.ts`)) continue;
      const spec = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      alias.push({ find: new RegExp(`^${escapeRegExp(spec)}$`), replacement: `${base}/src/${file}.ts` });
    }
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
