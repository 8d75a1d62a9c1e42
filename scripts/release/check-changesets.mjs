// Fails when a published package changed without a changeset.
//
// Default mode (works on a fresh clone of main, no pull-request base needed): for every
// published package, the baseline is its last release, i.e. the git tag `<name>@<version>`
// that `changeset publish` creates, or, without a tag, the commit that set the current
// `version` in its package.json (`changeset version` bumps it when it consumes changesets).
// If a published file changed since the baseline, a pending changeset (.changeset/*.md) must
// name the package. Published files: src/ without tests, README.md, tsdown.config.ts, whatever
// `files` lists, and package.json fields other than version/scripts/devDependencies.
//
// Pull-request mode (`--base <ref>`, or CHANGESET_BASE): packages changed since the merge base
// need a changeset added or edited in that range, so each change brings its own note.
//
// It also validates every pending changeset: known, non-private packages; major|minor|patch;
// a summary. Tooling changes to the private root need none. Usage:
//   node scripts/release/check-changesets.mjs [--base <ref>] [--cwd <repo>]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root as defaultRoot, listPackages } from './workspace.mjs';

const git = (cwd, args) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
};

/** Pending changesets: `[{ file, releases: { [name]: bump }, summary }]` (throws on bad syntax). */
export function pendingChangesets(cwd) {
  const dir = join(cwd, '.changeset');
  if (!existsSync(dir)) return [];
  const out = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.md') || file.toLowerCase() === 'readme.md') continue;
    const text = readFileSync(join(dir, file), 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!m) throw new Error(`.changeset/${file}: no front matter; start with ---, lines like '@emb/x': minor, then ---`);
    const releases = {};
    for (const line of m[1].split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const r = /^\s*(['"]?)([^'"]+)\1\s*:\s*(\S+)\s*$/.exec(line);
      if (!r) throw new Error(`.changeset/${file}: cannot read ${JSON.stringify(line)}; write '@emb/x': patch|minor|major`);
      releases[r[2]] = r[3];
    }
    out.push({ file, releases, summary: m[2].trim() });
  }
  return out;
}

const isPublishedFile = (rel, manifest) => {
  if (/(^|\/)(test|tests|test-node|__tests__|fixtures|bench)\//.test(rel) || /\.(test|spec|bench)\.[cm]?[jt]sx?$/.test(rel))
    return false;
  if (rel === 'README.md' || rel === 'tsdown.config.ts' || rel.startsWith('src/')) return true;
  return (manifest.files ?? []).some((f) => {
    const p = f.replace(/^\.\//, '').replace(/\/$/, '');
    return rel === p || rel.startsWith(`${p}/`);
  });
};

const publishedFields = (manifest) => {
  const { version: _v, scripts: _s, devDependencies: _d, ...rest } = manifest ?? {};
  return JSON.stringify(rest);
};

/** The release baseline of a package: `{ ref, how }`, or undefined when git knows nothing. */
export function baseline(cwd, pkg) {
  const tag = `${pkg.name}@${pkg.manifest.version}`;
  if (git(cwd, ['rev-parse', '-q', '--verify', `refs/tags/${tag}`]).ok) return { ref: tag, how: `tag ${tag}` };
  const log = git(cwd, ['log', '--format=%H', '--', `${pkg.rel}/package.json`]);
  if (!log.ok || log.out === '') return undefined;
  let ref;
  for (const commit of log.out.split('\n')) {
    const show = git(cwd, ['show', `${commit}:${pkg.rel}/package.json`]);
    let version;
    try {
      version = JSON.parse(show.out).version;
    } catch {
      version = undefined;
    }
    if (version !== pkg.manifest.version) break;
    ref = commit;
  }
  return ref ? { ref, how: `commit ${ref.slice(0, 8)} that set version ${pkg.manifest.version}` } : undefined;
}

/** Published files of `pkg` that differ between `ref` and the working tree (untracked included). */
export function changedPublishedFiles(cwd, pkg, ref) {
  const diff = git(cwd, ['diff', '--name-only', ref, '--', pkg.rel]);
  const untracked = git(cwd, ['ls-files', '--others', '--exclude-standard', '--', pkg.rel]);
  const files = [...new Set([...diff.out.split('\n'), ...untracked.out.split('\n')].filter(Boolean))];
  const out = [];
  for (const file of files) {
    const rel = file.slice(pkg.rel.length + 1);
    if (rel === 'package.json') {
      const before = git(cwd, ['show', `${ref}:${file}`]);
      let old;
      try {
        old = before.ok ? JSON.parse(before.out) : undefined;
      } catch {
        old = undefined;
      }
      if (publishedFields(old) !== publishedFields(pkg.manifest)) out.push(file);
    } else if (isPublishedFile(rel, pkg.manifest)) out.push(file);
  }
  return out.sort();
}

/** `{ problems: string[], report: string[] }` for the repository at `cwd`. */
export function checkChangesets(cwd = defaultRoot, { base } = {}) {
  const problems = [];
  const report = [];
  const all = listPackages(cwd);
  const byName = new Map(all.map((p) => [p.name, p]));
  let changesets = [];
  try {
    changesets = pendingChangesets(cwd);
  } catch (e) {
    problems.push(e.message);
  }
  for (const cs of changesets) {
    if (cs.summary === '') problems.push(`.changeset/${cs.file}: no summary; say in a sentence what users get`);
    for (const [name, bump] of Object.entries(cs.releases)) {
      if (!['major', 'minor', 'patch'].includes(bump))
        problems.push(`.changeset/${cs.file}: ${name}: ${JSON.stringify(bump)} is not major|minor|patch`);
      const pkg = byName.get(name);
      if (!pkg)
        problems.push(`.changeset/${cs.file}: ${name} is not a workspace package (known: ${[...byName.keys()].join(', ')})`);
      else if (pkg.private)
        problems.push(`.changeset/${cs.file}: ${name} is private and never released; remove it from the changeset`);
    }
  }
  if (git(cwd, ['rev-parse', '--is-shallow-repository']).out === 'true')
    report.push('warning: shallow clone; baselines older than the clone depth count from its oldest commit');

  let covered;
  if (base) {
    const mergeBase = git(cwd, ['merge-base', base, 'HEAD']);
    if (!mergeBase.ok) {
      problems.push(`--base ${base}: git merge-base failed (${mergeBase.err}); fetch the base branch first`);
      return { problems, report };
    }
    const touched = git(cwd, ['diff', '--name-only', mergeBase.out, '--', '.changeset']).out.split('\n');
    const untracked = git(cwd, ['ls-files', '--others', '--exclude-standard', '--', '.changeset']).out.split('\n');
    const names = new Set([...touched, ...untracked].filter(Boolean).map((f) => f.replace(/^\.changeset\//, '')));
    covered = new Set(changesets.filter((c) => names.has(c.file)).flatMap((c) => Object.keys(c.releases)));
  } else covered = new Set(changesets.flatMap((c) => Object.keys(c.releases)));

  for (const pkg of all) {
    if (pkg.private) continue;
    let from;
    if (base) from = { ref: git(cwd, ['merge-base', base, 'HEAD']).out, how: `merge base with ${base}` };
    else from = baseline(cwd, pkg);
    if (!from) {
      // Not in git yet: a brand-new package is released by a changeset too.
      if (!covered.has(pkg.name))
        problems.push(`${pkg.name}: new package with no changeset; run \`pnpm changeset\` and pick ${pkg.name}`);
      else report.push(`${pkg.name}: new, covered by a changeset`);
      continue;
    }
    const changed = changedPublishedFiles(cwd, pkg, from.ref);
    if (changed.length === 0) report.push(`${pkg.name}: unchanged since ${from.how}`);
    else if (covered.has(pkg.name))
      report.push(`${pkg.name}: ${changed.length} file(s) changed since ${from.how}; covered by a changeset`);
    else
      problems.push(
        `${pkg.name}: ${changed.length} published file(s) changed since ${from.how} (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', ...' : ''}) with no ${base ? 'new ' : ''}changeset; run \`pnpm changeset\`, pick ${pkg.name}, and say what users get`,
      );
  }
  return { problems, report };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const { problems, report } = checkChangesets(opt('--cwd') ?? defaultRoot, {
    base: opt('--base') ?? process.env.CHANGESET_BASE,
  });
  for (const line of report) console.log(`  ${line}`);
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(problems.length === 0 ? 'changesets: ok' : `changesets: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
