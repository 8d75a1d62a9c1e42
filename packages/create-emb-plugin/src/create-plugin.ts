import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PluginNames, pluginNames } from './plugin-names.js';
import { EmbPluginScaffoldError } from './scaffold-error.js';

/** Options of {@link createPlugin}. */
export interface CreatePluginOptions {
  /** The npm package name of the new plugin (`'emb-plugin-faces'`, `'@acme/emb-plugin-faces'`). */
  readonly name: string;
  /** Folder to write into (created; must be empty). Default: the unscoped name, in the current directory. */
  readonly dir?: string;
  /** Dependency versions to write, by package name. Default: the ranges this scaffold was released with. */
  readonly versions?: Readonly<Record<string, string>>;
}

/** What {@link createPlugin} wrote. */
export interface CreatedPlugin {
  readonly dir: string;
  readonly names: PluginNames;
  /** Written files, relative to `dir`, sorted. */
  readonly files: readonly string[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const templateDir = join(root, 'template');

// Packages the generated plugin uses, by role. Their ranges come from this package's own
// package.json (see scaffoldVersions), so a release of the scaffold always writes the @emb/*
// versions released with it.
const DEPENDENCIES = ['@emb/distance', '@emb/losses', 'valibot'] as const;
const PEER_DEPENDENCIES = ['@emb/core', '@tensorflow/tfjs-core'] as const;
const DEV_DEPENDENCIES = [
  '@arethetypeswrong/cli',
  '@emb/core',
  '@emb/testkit',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-core',
  '@types/node',
  'publint',
  'tsdown',
  'typescript',
  'vitest',
] as const;

/**
 * The dependency ranges the scaffold writes: this package's devDependencies. In a published
 * scaffold they are plain ranges (`^0.1.0`); in the emb workspace they are `workspace:^`,
 * resolved here to the version of the workspace package, as `pnpm publish` would.
 */
export function scaffoldVersions(): Record<string, string> {
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const require = createRequire(join(root, 'package.json'));
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(own.devDependencies ?? {})) {
    const workspace = /^workspace:(.*)$/.exec(spec);
    if (!workspace) {
      out[name] = spec;
      continue;
    }
    const { version } = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    const range = workspace[1] as string;
    out[name] = range === '^' || range === '~' ? `${range}${version}` : range === '*' || range === '' ? version : range;
  }
  return out;
}

function pick(names: readonly string[], versions: Readonly<Record<string, string>>, peer = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const version = versions[name];
    if (version === undefined) throw new Error(`create-emb-plugin: no version known for ${name} (a bug in the scaffold).`);
    // A peer range admits later minors of tfjs; the exact pin is for this package's own dev install.
    out[name] = peer && /^\d/.test(version) ? `^${version}` : version;
  }
  return out;
}

function packageJson(names: PluginNames, versions: Readonly<Record<string, string>>) {
  return {
    name: names.packageName,
    version: '0.1.0',
    description: `An emb plugin: the '${names.prefix}/simple-pair' loss.`,
    type: 'module',
    license: 'MIT',
    sideEffects: ['./dist/register.js'],
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './register': { types: './dist/register.d.ts', default: './dist/register.js' },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    // `emb-plugin` is how the plugin catalogue finds plugins on npm; the kind keyword (`loss`,
    // `miner`, `sampler`, `distance`, `index`) is the kind it lists the plugin under.
    keywords: ['emb-plugin', 'loss', 'emb', 'embedding', 'metric-learning', 'tensorflow'],
    engines: { node: '>=20' },
    scripts: {
      build: 'tsdown',
      test: 'vitest run',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      'test:build': 'publint --strict && attw --pack . --profile esm-only',
      prepublishOnly: 'npm run build && npm test && npm run test:build',
    },
    dependencies: pick(DEPENDENCIES, versions),
    peerDependencies: pick(PEER_DEPENDENCIES, versions, true),
    devDependencies: pick(DEV_DEPENDENCIES, versions),
  };
}

function render(text: string, names: PluginNames): string {
  return text
    .replaceAll('__PACKAGE__', names.packageName)
    .replaceAll('__PREFIX__', names.prefix)
    .replaceAll('__SHORT__', names.short)
    .replaceAll('__IDENT__', names.ident);
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templateFiles(path) : [path];
  });
}

/**
 * The files of a new plugin package, by relative path: package.json, tsconfig.json,
 * tsdown.config.ts, vitest.config.ts, .gitignore, README.md and src/ with a working loss,
 * its registry entry and its @emb/testkit conformance test.
 */
export function pluginFiles(
  names: PluginNames,
  versions: Readonly<Record<string, string>> = scaffoldVersions(),
): Map<string, string> {
  const files = new Map<string, string>();
  for (const path of templateFiles(templateDir)) {
    // npm drops .gitignore files from packed packages, so the template ships it as `gitignore`.
    const target = render(relative(templateDir, path), names).replace(/^gitignore$/, '.gitignore');
    files.set(target, render(readFileSync(path, 'utf8'), names));
  }
  files.set('package.json', `${JSON.stringify(packageJson(names, versions), null, 2)}\n`);
  return files;
}

/**
 * Writes a new emb plugin package that builds (`npm run build`), passes its tests
 * (`npm test`: the testkit conformance suite) and can be published (`npm publish`).
 *
 * @throws {EmbPluginScaffoldError} for an invalid name or a folder that is not empty.
 * @example
 * createPlugin({ name: '@acme/emb-plugin-faces' }); // writes ./emb-plugin-faces/
 */
export function createPlugin(options: CreatePluginOptions): CreatedPlugin {
  const names = pluginNames(options.name);
  const dir = resolve(options.dir ?? names.dirName);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new EmbPluginScaffoldError(`${dir} already exists and is not an empty folder; choose another name or --dir.`);
  }
  const files = pluginFiles(names, options.versions ?? scaffoldVersions());
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, names, files: [...files.keys()].sort() };
}
