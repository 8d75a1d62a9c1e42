#!/usr/bin/env node
// Writes docs/api/<package>.md: one page per workspace package, one heading per exported
// symbol, generated from the sources (signature and JSDoc through the TypeScript compiler
// API), the built package (option tables from the valibot option schemas, with defaults),
// docs/scripts/api-extras.mjs (loss equations, default distance and reducer) and
// docs/snippets/<package>/<kebab-name>.ts (the runnable example under the symbol it is named after).
// Run `pnpm --filter @emb/docs gen:api` after adding an export, and commit the pages.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { lossExtras } from './api-extras.mjs';
import { docsRoot, exportsProgram, kebab, listPackages, repoRoot, slug } from './exports.mjs';

const packages = listPackages();
const { checker, exportsOf } = exportsProgram(packages.flatMap((p) => p.entries.map((e) => e.src)));

// symbol name -> page link, so {@link x} works across pages.
const where = new Map();
const pages = packages.map((pkg) => {
  const entries = pkg.entries.map((entry) => {
    const symbols = exportsOf(entry.src);
    for (const s of symbols) if (!where.has(s.name)) where.set(s.name, { page: pkg.dir });
    return { ...entry, symbols };
  });
  return { pkg, entries };
});

/** Escapes prose (not code spans) for VitePress, where markdown is a Vue template with math. */
function prose(text, page) {
  return text
    .replace(/\{@link\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g, (_, target, label) => {
      const name = target.replace(/\(\)$/, '');
      const w = where.get(name);
      const shown = `\`${label?.trim() || name}\``;
      if (!w) return shown;
      return w.page === page ? `[${shown}](#${slug(name)})` : `[${shown}](./${w.page}.md#${slug(name)})`;
    })
    .split(/(```[\s\S]*?```|`[^`\n]*`)/g)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;').replace(/\$/g, '\\$'),
    )
    .join('');
}

function declarationText(decl) {
  const sf = decl.getSourceFile();
  const text = sf.text;
  if (ts.isFunctionDeclaration(decl)) {
    return text.slice(decl.getStart(sf), decl.body ? decl.body.getStart(sf) : decl.end).trim();
  }
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      const head = text
        .slice(init.getStart(sf), init.body.getStart(sf))
        .replace(/=>\s*$/, '')
        .trim();
      return `const ${decl.name.getText(sf)} = ${head} => ...`;
    }
    const type = checker.typeToString(checker.getTypeAtLocation(decl), undefined, ts.TypeFormatFlags.NoTruncation);
    if (/Schema</.test(type)) return `const ${decl.name.getText(sf)}: valibot schema (the option table below)`;
    return `const ${decl.name.getText(sf)}: ${type.length > 400 ? `${type.slice(0, 400)} ...` : type}`;
  }
  if (ts.isClassDeclaration(decl)) {
    // Members without bodies.
    const members = decl.members
      .filter(
        (m) => !(m.modifiers ?? []).some((k) => k.kind === ts.SyntaxKind.PrivateKeyword) && !m.name?.getText(sf).startsWith('#'),
      )
      .map((m) => {
        const body = m.body;
        const t = text.slice(m.getStart(sf), body ? body.getStart(sf) : m.end).trim();
        return `  ${t.replace(/\s*\{?$/, '')};`.replace(/;;$/, ';');
      });
    const head = text.slice(decl.getStart(sf), decl.members.pos).trim();
    return `${head}\n${members.join('\n')}\n}`;
  }
  const full = text.slice(decl.getStart(sf), decl.end).trim();
  const lines = full.split('\n');
  return lines.length > 60 ? `${lines.slice(0, 60).join('\n')}\n  // ...` : full;
}

function stripExport(s) {
  return s.replace(/^export\s+(declare\s+)?/gm, '').replace(/^default\s+/, '');
}

function kindOf(symbol) {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  return 'value';
}

// ---- valibot option schemas (runtime, from the built package) ----
function describeSchema(schema) {
  if (!schema || typeof schema !== 'object') return 'unknown';
  const base = (() => {
    switch (schema.type) {
      case 'optional':
      case 'exact_optional':
      case 'undefinedable':
        return describeSchema(schema.wrapped);
      case 'nullable':
      case 'nullish':
        return `${describeSchema(schema.wrapped)} \\| null`;
      case 'literal':
        return JSON.stringify(schema.literal);
      case 'picklist':
        return schema.options.map((o) => JSON.stringify(o)).join(' \\| ');
      case 'enum':
        return Object.values(schema.enum)
          .map((o) => JSON.stringify(o))
          .join(' \\| ');
      case 'union':
        return schema.options.map(describeSchema).join(' \\| ');
      case 'array':
        return `${describeSchema(schema.item)}[]`;
      case 'tuple':
        return `[${schema.items.map(describeSchema).join(', ')}]`;
      case 'object':
      case 'strict_object':
      case 'loose_object':
        return 'object';
      case 'custom':
        return typeof schema.message === 'string' ? `custom (${schema.message})` : 'custom';
      default:
        return schema.type;
    }
  })();
  const checks = (schema.pipe ?? [])
    .slice(1)
    .map((a) => {
      switch (a.type) {
        case 'min_value':
          return `≥ ${a.requirement}`;
        case 'max_value':
          return `≤ ${a.requirement}`;
        case 'gt_value':
          return `> ${a.requirement}`;
        case 'lt_value':
          return `< ${a.requirement}`;
        case 'integer':
        case 'finite':
          return a.type;
        case 'min_length':
          return `length ≥ ${a.requirement}`;
        default:
          return a.kind === 'validation' ? a.type.replace(/_/g, ' ') : null;
      }
    })
    .filter(Boolean);
  return checks.length ? `${base} (${checks.join(', ')})` : base;
}

function describeDefault(schema) {
  const optional = ['optional', 'exact_optional', 'nullish', 'undefinedable'].includes(schema.type);
  if (!optional) return '**required**';
  let d = schema.default;
  if (typeof d === 'function') {
    try {
      d = d();
    } catch {
      return 'computed';
    }
  }
  if (d === undefined) return '—';
  return `\`${JSON.stringify(d)}\``;
}

function optionTable(schema, name) {
  const lines = ['| option | type | default |', '| --- | --- | --- |'];
  for (const [key, s] of Object.entries(schema.entries)) {
    let type = describeSchema(s);
    if (key === 'distance') type = '`Distance` (from `@emb/distance`)';
    else if (key === 'reducer') type = '`Reducer` (a reducer from `@emb/losses`)';
    else type = `\`${type.replace(/`/g, "'")}\``.replace(/\\\|/g, '\\|');
    let def = describeDefault(s);
    if ((key === 'distance' || key === 'reducer') && def === '—')
      def = lossExtras[name]?.[key] ? `\`${lossExtras[name][key]}\`` : 'the PML default';
    lines.push(`| \`${key}\` | ${type} | ${def} |`);
  }
  return lines.join('\n');
}

const isValibotObject = (x) => x && typeof x === 'object' && x.kind === 'schema' && x.entries && typeof x.entries === 'object';

// ---- snippets ----
function snippetsOf(dir) {
  const d = join(docsRoot, 'snippets', dir);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));
}

function snippetBlock(dir, name) {
  const id = `${dir}/${name}`;
  return [`<<< @/snippets/${id}.ts`, '', `<RunSnippet id="${id}" />`, ''].join('\n');
}

// ---- pages ----
mkdirSync(join(docsRoot, 'api'), { recursive: true });
const written = [];
for (const { pkg, entries } of pages) {
  const snippets = snippetsOf(pkg.dir);
  const used = new Set();
  const out = [];
  out.push('---', 'outline: [2, 3]', '---', '');
  out.push(`<!-- Generated by docs/scripts/gen-api.mjs from the sources of packages/${pkg.dir}; do not edit. -->`, '');
  out.push(`# ${pkg.name}`, '');
  out.push(prose(pkg.description, pkg.dir), '');
  out.push('```sh', `npm install ${pkg.name}`, '```', '');
  out.push(
    `Source and README: [packages/${pkg.dir}](https://example.invalid/emb/tree/main/packages/${pkg.dir}). Entry points: ${entries.map((e) => `\`${e.specifier}\``).join(', ')}.`,
    '',
  );
  const overview = snippets.find((s) => s === 'overview');
  if (overview) {
    used.add(overview);
    out.push('## Example', '', snippetBlock(pkg.dir, overview));
  }
  for (const entry of entries) {
    if (entry.symbols.length === 0) {
      out.push(
        `\`${entry.specifier}\` exports nothing: importing it registers the package's components in the shared registry.`,
        '',
      );
      continue;
    }
    const values = entry.symbols.filter((s) => kindOf(s.symbol) !== 'interface' && kindOf(s.symbol) !== 'type');
    const types = entry.symbols.filter((s) => kindOf(s.symbol) === 'interface' || kindOf(s.symbol) === 'type');
    const runtime = existsSync(entry.distJs) ? await import(pathToFileURL(entry.distJs).href) : {};
    const suffix = entries.length > 1 ? ` (${entry.specifier})` : '';
    for (const [title, group] of [
      [`Functions and values${suffix}`, values],
      [`Types${suffix}`, types],
    ]) {
      if (group.length === 0) continue;
      out.push(`## ${title}`, '');
      if (entry.subpath !== '.')
        out.push(`Import from \`${entry.specifier}\`${entry.subpath === './node' ? ' (Node only)' : ''}.`, '');
      for (const { name, symbol } of group) {
        const kind = kindOf(symbol);
        out.push(`### ${name}`, '');
        const decls = symbol.declarations ?? [];
        if (decls.length) {
          out.push('```ts', ...decls.map((d) => stripExport(declarationText(d))), '```', '');
        }
        const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        if (doc) out.push(prose(doc, pkg.dir), '');
        else out.push(`*${kind}* — no description yet.`, '');
        const extra = lossExtras[name];
        if (extra) {
          out.push('$$', extra.equation, '$$', '');
          out.push(`Default distance: \`${extra.distance}\`. Default reducer: \`${extra.reducer}\`.`, '');
        }
        const schema = runtime[`${name}Options`];
        if (kind === 'function' && isValibotObject(schema)) {
          out.push(`**Options** (\`${name}Options\`):`, '', optionTable(schema, name), '');
        }
        if (kind === 'const' && isValibotObject(runtime[name]) && /Options$/.test(name)) {
          const of = name.replace(/Options$/, '');
          out.push(`The valibot schema the registry validates \`${of}\` options with.`, '', optionTable(runtime[name], of), '');
        }
        const tags = symbol.getJsDocTags(checker);
        for (const tag of tags) {
          const text = ts.displayPartsToString(tag.text ?? []).trim();
          if (tag.name === 'param' && text) out.push(`- **param** ${prose(text.replace(/^(\w+)\s*/, '`$1` '), pkg.dir)}`);
          if (tag.name === 'returns' && text) out.push(`- **returns** ${prose(text, pkg.dir)}`);
          if (tag.name === 'throws' && text) out.push(`- **throws** ${prose(text, pkg.dir)}`);
        }
        if (tags.some((t) => ['param', 'returns', 'throws'].includes(t.name))) out.push('');
        // Snippets are named after a function or value (types share the kebab-case name).
        const snippet =
          kind === 'interface' || kind === 'type' ? undefined : snippets.find((s) => s.replace(/\.node$/, '') === kebab(name));
        if (snippet) {
          used.add(snippet);
          out.push('**Example** (runs in your browser):', '', snippetBlock(pkg.dir, snippet));
        } else {
          const example = tags.find((t) => t.name === 'example');
          if (example) {
            const code = ts
              .displayPartsToString(example.text ?? [])
              .trim()
              .replace(/^```\w*\n?|```$/g, '');
            out.push('```ts', code, '```', '');
          }
        }
      }
    }
  }
  const rest = snippets.filter((s) => !used.has(s));
  if (rest.length) {
    out.push('## More examples', '');
    for (const s of rest) out.push(`### Example: ${s}`, '', snippetBlock(pkg.dir, s));
  }
  const file = join(docsRoot, 'api', `${pkg.dir}.md`);
  writeFileSync(
    file,
    `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  );
  written.push(relative(repoRoot, file));
}
console.log(`gen-api: wrote ${written.join(', ')}`);
