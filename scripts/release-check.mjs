#!/usr/bin/env node
// `pnpm release:check`: is every published package (packages/* and plugins/*, found afresh on
// each run) fit to publish?
//
//   1. build (turbo, cached)                          skip with --no-build
//   2. manifest rules (scripts/release/check-manifests.mjs): ESM, exports types-first with an
//      exact .d.ts per entry, sideEffects only the register entry, files, engines,
//      repository.directory, tfjs as a peer, every import declared, README
//   3. publint --strict and attw (each package's `test:build`, through turbo, cached;
//      --no-publint skips it while iterating)
//   4. size budgets: bundled + minified + gzipped, tfjs / @emb / peers external, against
//      scripts/release/size-budgets.json (bytes); each package's size is printed
//   5. export snapshots: packages/<dir>/exports.snapshot.json lists each subpath's runtime and
//      type-only export names; any difference fails (review it, then --update)
//   6. changesets: a published package that changed since its last release has a changeset
//   7. the release scripts' own tests (scripts/release/test/*.test.mjs)
//   8. with --e2e: the local-registry release test (scripts/release/e2e-registry.mjs)
//
// `pnpm release:check --update` rewrites the export snapshots and adds a budget (size + 15 %)
// for a package that has none; it never raises an existing budget (edit the file for that, or
// `--update-budgets` resets every budget to its size + 15 %).
// `--summary <file>` writes { passed, failed } for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkChangesets } from './release/check-changesets.mjs';
import { checkPackage } from './release/check-manifests.mjs';
import { exportSnapshots, measureSize } from './release/measure.mjs';
import { publishedPackages, root } from './release/workspace.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const update = flag('--update');
// --update-budgets: every budget becomes size + 15 % (after a deliberate change; review the diff).
const resetBudgets = flag('--update-budgets');
const started = Date.now();

let passed = 0;
let failed = 0;
const failures = [];
const result = (name, problems) => {
  if (problems.length === 0) passed += 1;
  else {
    failed += 1;
    failures.push(name);
    console.log(`FAIL ${name}`);
    for (const p of problems) console.log(`     - ${p}`);
  }
};
const section = (title) => console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const run = (cmd, argv) => spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });

if (!flag('--no-build')) {
  section('build');
  const b = run('pnpm', ['build', '--output-logs=errors-only']);
  result('build', b.status === 0 ? [] : ['pnpm build failed']);
}

const pkgs = publishedPackages();
console.log(`\npublished packages: ${pkgs.map((p) => p.name).join(', ')}`);

section('manifests');
for (const pkg of pkgs) {
  const problems = await checkPackage(pkg);
  const script = pkg.manifest.scripts?.['test:build'] ?? '';
  if (!/publint --strict/.test(script) || !/attw --pack/.test(script))
    problems.push('scripts["test:build"]: must run "publint --strict && attw --pack . --profile esm-only"');
  result(`manifest ${pkg.name}`, problems);
}

// --no-publint: skip the slowest step (npm pack per package) while iterating, e.g. with --update.
if (!flag('--no-publint')) {
  section('publint --strict, attw');
  const tb = run('pnpm', ['turbo', 'run', 'test:build', '--output-logs=errors-only']);
  result('publint and attw (turbo run test:build)', tb.status === 0 ? [] : ['turbo run test:build failed (see above)']);
}

section('sizes (bytes: minified, gzipped; tfjs, @emb/* and peers external)');
const budgetsFile = join(root, 'scripts/release/size-budgets.json');
const budgets = JSON.parse(readFileSync(budgetsFile, 'utf8'));
let budgetsChanged = false;
const rows = [];
for (const pkg of pkgs) {
  let size;
  try {
    size = await measureSize(pkg);
  } catch (e) {
    result(`size ${pkg.name}`, [String(e.message ?? e).split('\n')[0]]);
    continue;
  }
  const gz = size.total.gz;
  if ((budgets.packages[pkg.name] === undefined && update) || resetBudgets) {
    const next = Math.ceil((gz * 1.15) / 100) * 100;
    budgetsChanged ||= budgets.packages[pkg.name] !== next;
    budgets.packages[pkg.name] = next;
  }
  const budget = budgets.packages[pkg.name];
  const parts = Object.entries(size.subpaths)
    .map(([s, v]) => `${s} ${v.gz}`)
    .join(', ');
  rows.push([
    pkg.name,
    size.total.min,
    gz,
    budget ?? '-',
    budget === undefined ? 'NO BUDGET' : gz <= budget ? 'ok' : 'OVER',
    parts,
  ]);
  result(
    `size ${pkg.name}`,
    budget === undefined
      ? [`no budget in scripts/release/size-budgets.json; run \`pnpm release:check --update\` to add one (${gz} B + 15 %)`]
      : gz > budget
        ? [
            `${gz} B gzipped is over its budget of ${budget} B by ${gz - budget} B; shrink it, or raise the budget in scripts/release/size-budgets.json with a reason in the commit`,
          ]
        : [],
  );
}
const widths = [0, 1, 2, 3, 4].map((i) =>
  Math.max(...rows.map((r) => String(r[i]).length), ['package', 'min', 'gzip', 'budget', ''][i].length),
);
const fmt = (r) =>
  [0, 1, 2, 3, 4].map((i) => (i === 0 ? String(r[i]).padEnd(widths[i]) : String(r[i]).padStart(widths[i]))).join('  ');
console.log(fmt(['package', 'min', 'gzip', 'budget', '']), '  per subpath (gzip)');
for (const r of rows) console.log(fmt(r), ' ', r[5]);
if (budgetsChanged) {
  writeFileSync(budgetsFile, `${JSON.stringify(budgets, null, 2)}\n`);
  console.log('(wrote new budgets to scripts/release/size-budgets.json)');
}

section('export snapshots');
let snaps = {};
try {
  snaps = exportSnapshots(pkgs.filter((p) => !failures.includes(`size ${p.name}`)));
} catch (e) {
  result('export snapshots', [String(e.message ?? e)]);
}
for (const pkg of pkgs) {
  const s = snaps[pkg.name];
  if (!s) continue;
  const file = join(pkg.dir, 'exports.snapshot.json');
  const text = `${JSON.stringify({ $comment: 'Generated by `pnpm release:check --update`. A removed name is a breaking change.', exports: s.snapshot }, null, 2)}\n`;
  const problems = [...s.problems];
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (old !== text) {
    if (update) {
      writeFileSync(file, text);
      console.log(`updated ${pkg.rel}/exports.snapshot.json`);
    } else if (old === undefined)
      problems.push(`${pkg.rel}/exports.snapshot.json missing; run \`pnpm release:check --update\` and commit it`);
    else {
      const before = JSON.parse(old).exports ?? {};
      for (const sub of new Set([...Object.keys(before), ...Object.keys(s.snapshot)])) {
        for (const kind of ['values', 'types']) {
          const a = new Set(before[sub]?.[kind] ?? []);
          const b = new Set(s.snapshot[sub]?.[kind] ?? []);
          const removed = [...a].filter((n) => !b.has(n));
          const added = [...b].filter((n) => !a.has(n));
          if (removed.length)
            problems.push(`exports["${sub}"] ${kind}: removed ${removed.join(', ')} (breaking: needs a major changeset)`);
          if (added.length) problems.push(`exports["${sub}"] ${kind}: added ${added.join(', ')}`);
        }
      }
      if (problems.length === 0) problems.push('snapshot text differs (order/format)');
      problems.push(`if intended: \`pnpm release:check --update\` and commit ${pkg.rel}/exports.snapshot.json`);
    }
  }
  result(`exports ${pkg.name}`, problems);
}

section('changesets');
{
  const { problems, report } = checkChangesets(root, { base: opt('--base') ?? process.env.CHANGESET_BASE });
  for (const line of report) console.log(`  ${line}`);
  result('changesets', problems);
}

section('release scripts tests');
const nt = spawnSync(process.execPath, ['--test', 'scripts/release/test/'], { cwd: root, encoding: 'utf8' });
const count = (name) =>
  [...(nt.stdout ?? '').matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
console.log(`node --test scripts/release/test/: ${count('pass')} pass, ${count('fail')} fail`);
if (nt.status !== 0) process.stdout.write(nt.stdout);
passed += count('pass');
failed += count('fail') + (nt.status !== 0 && count('fail') === 0 ? 1 : 0);

if (flag('--e2e')) {
  section('local-registry release test');
  const e = run(process.execPath, ['scripts/release/e2e-registry.mjs']);
  result('local-registry release test', e.status === 0 ? [] : ['scripts/release/e2e-registry.mjs failed (see above)']);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `\nrelease check: ${passed} ok, ${failed} failing (${seconds} s)${failures.length ? `: ${failures.join('; ')}` : ''}`,
);
const summary = opt('--summary');
if (summary) writeFileSync(summary, JSON.stringify({ passed, failed, seconds: Number(seconds) }));
process.exit(failed > 0 ? 1 : 0);
