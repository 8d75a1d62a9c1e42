import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createPlugin } from './create-plugin.js';
import { EmbPluginScaffoldError } from './scaffold-error.js';

const USAGE = `Usage: create-emb-plugin <package-name> [--dir <folder>]

Writes a new emb plugin package (a loss with its registry entry and conformance test) that
builds, passes @emb/testkit and can be published.

  npm init emb-plugin emb-plugin-faces
  pnpm create emb-plugin @acme/emb-plugin-faces --dir faces
`;

/**
 * The `create-emb-plugin` command. Returns the exit code.
 *
 * @example
 * process.exitCode = main(['emb-plugin-faces']);
 */
export function main(
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): number {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const name = parsed.positionals[0];
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  if (name === undefined || parsed.positionals.length > 1) {
    err(`create-emb-plugin needs exactly one package name.\n\n${USAGE}`);
    return 2;
  }
  try {
    const dir = parsed.values.dir;
    const created = createPlugin(typeof dir === 'string' ? { name, dir } : { name });
    const where = relative(process.cwd(), created.dir) || '.';
    out(`Created ${created.names.packageName} in ${where}: the loss '${created.names.prefix}/simple-pair' and its conformance test.

Next:
  cd ${where}
  npm install
  npm test            # the @emb/testkit conformance suite, on wasm and cpu
  npm run build       # dist/ with types
  npm publish         # builds, tests and checks the package first

Use it from emb.config.json: "plugins": ["${created.names.packageName}"], "loss": "${created.names.prefix}/simple-pair"`);
    return 0;
  } catch (e) {
    if (e instanceof EmbPluginScaffoldError) {
      err(`create-emb-plugin: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
