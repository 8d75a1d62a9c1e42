import { isEmbError } from '@emb/core';
import { UsageError } from './cli-error.js';
import { benchHelp, demoHelp, evalHelp, indexHelp, trainHelp } from './help.js';

/** The version printed by `emb --version`. */
export const VERSION = '0.1.0';

const mainHelp = `emb: embedding learning on TensorFlow.js (WASM)

Usage: emb <command> [options]

Commands:
  demo            train a small CNN on MNIST digits 0-4, evaluate and enrol 5-9 (the first thing to run)
  train           train as an emb.config.json says
  eval            measure a trained network on held-out classes
  index           build | add | query | info: a k-NN index of embeddings, grown without retraining
  bench           time one training step on this machine
  help <command>  details of a command

Run "emb <command> --help" for a command's options.
`;

// Commands are imported when run, so that help, version and usage errors start instantly.
const commands: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  demo: { run: async (a) => (await import('./commands/demo.js')).demoCommand(a), help: demoHelp },
  train: { run: async (a) => (await import('./commands/train.js')).trainCommand(a), help: trainHelp },
  eval: { run: async (a) => (await import('./commands/eval.js')).evalCommand(a), help: evalHelp },
  index: { run: async (a) => (await import('./commands/index-command.js')).indexCommand(a), help: indexHelp },
  bench: { run: async (a) => (await import('./commands/bench.js')).benchCommand(a), help: benchHelp },
};

/**
 * Runs the `emb` command line with `argv` (without `node` and the script) and resolves to
 * the exit code: 0 on success, 1 when the work failed (the error printed as
 * `emb: <CODE>: <message>`), 2 for a usage mistake (with the command's help).
 *
 * @example
 * process.exitCode = await main(['demo', '--epochs', '1']);
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    console.log(topic && commands[topic] ? commands[topic].help : mainHelp);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`emb: unknown command "${name}".\n\n${mainHelp}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`emb ${name}: ${(error as Error).message}\n\n${command.help}`);
      return 2;
    }
    if (isEmbError(error)) {
      console.error(`emb ${name}: ${error.code}: ${error.message}`);
      return 1;
    }
    console.error(`emb ${name}: unexpected error:`, error);
    return 1;
  }
}
