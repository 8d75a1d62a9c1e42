// Every symbol a package exports (runtime exports of its BUILT entry points, plus the types the
// TypeScript compiler sees in the built .d.ts) has a heading on its API page docs/api/<dir>.md,
// and no page keeps a heading for a symbol that is gone. The failure message lists exactly the
// headings to add or remove; `pnpm --filter @emb/docs gen:api` regenerates the pages.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtExports, docsRoot } from '../scripts/exports.mjs';

const exportsByEntry = await builtExports();
const byPackage = new Map();
for (const e of exportsByEntry) {
  const list = byPackage.get(e.pkg.dir) ?? { pkg: e.pkg, entries: [] };
  list.entries.push(e);
  byPackage.set(e.pkg.dir, list);
}

function headings(md) {
  const out = new Set();
  for (const m of md.matchAll(/^#{2,4}\s+(.+?)\s*$/gm)) out.add(m[1].replace(/`/g, '').trim());
  return out;
}

for (const [dir, { pkg, entries }] of byPackage) {
  test(`docs/api/${dir}.md has a heading for every export of ${pkg.name}`, () => {
    const file = join(docsRoot, 'api', `${dir}.md`);
    const fix =
      'Run `pnpm --filter @emb/docs gen:api` (it writes each heading with the signature and JSDoc from the sources) and commit the page.';
    assert.ok(existsSync(file), `${pkg.name} has no API page docs/api/${dir}.md. ${fix}`);
    const have = headings(readFileSync(file, 'utf8'));
    const missing = entries.flatMap((e) =>
      e.names.filter((n) => !have.has(n.name)).map((n) => ({ ...n, specifier: e.specifier })),
    );
    const exported = new Set(entries.flatMap((e) => e.names.map((n) => n.name)));
    const sectionLike = /^(Functions and values|Types|Example|More examples)/;
    const stale = [...have].filter((h) => /^[A-Za-z_$][\w$]*$/.test(h) && !exported.has(h) && !sectionLike.test(h));
    const lines = [
      ...missing.map((n) => `  add:    ### ${n.name}    (${n.kind} exported by ${n.specifier})`),
      ...stale.map((h) => `  remove: ### ${h}    (no longer exported)`),
    ];
    assert.equal(lines.length, 0, `docs/api/${dir}.md is out of date:\n${lines.join('\n')}\n${fix}`);
  });
}
