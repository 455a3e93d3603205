/**
 * Every CLI command besides `list` and `run`, one module each. A command's module (and with it
 * tfjs, the GPT or the audit machinery) is imported only when that command runs or its own help is
 * asked for; the others appear in `fivelens --help` by name and description alone.
 */
import type { Command } from 'commander';

interface CommandModule {
  register(program: Command): void;
}

const MODULES = {
  train: () => import('./train.js'),
  sample: () => import('./sample.js'),
  eval: () => import('./eval.js'),
  zip: () => import('./zip.js'),
  audit: () => import('./audit.js'),
  path: () => import('./path.js'),
  results: () => import('./results.js'),
} satisfies Record<string, () => Promise<CommandModule>>;

export const COMMANDS: { name: string; description: string; module: keyof typeof MODULES }[] = [
  { name: 'train', description: 'train the tiny GPT on a corpus; writes a safetensors checkpoint, config, vocab and loss-curve.svg', module: 'train' },
  { name: 'sample', description: 'sample text from a trained GPT checkpoint (same seed, same text)', module: 'sample' },
  { name: 'eval', description: 'bits per character and perplexity of a checkpoint on the held-out 10% of a corpus', module: 'eval' },
  { name: 'zip', description: 'compress a file with the language model (arithmetic coding); - for stdin', module: 'zip' },
  { name: 'unzip', description: 'decompress a file made by fivelens zip; - for stdin', module: 'zip' },
  { name: 'audit', description: "the verdicts on the seed answer's claims: from the committed full results (default), or by running the experiments (--preset); HTML report with --out", module: 'audit' },
  { name: 'results', description: 'make the committed full results (results/<id>.json) of stale or missing experiments, or --check them', module: 'results' },
  { name: 'path', description: 'a study plan through the five sciences: what to read and run, in prerequisite order, with hours and weeks', module: 'path' },
];

/** The command `argv` names (`help X` names X), if it is one of COMMANDS. */
export function commandOf(argv: readonly string[]): string | undefined {
  const name = argv[0] === 'help' ? argv[1] : argv[0];
  return COMMANDS.some((c) => c.name === name) ? name : undefined;
}

/** Register the command `argv` runs in full, and every other one as a name with its description. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const name = commandOf(argv);
  const wanted = COMMANDS.find((c) => c.name === name)?.module;
  for (const c of COMMANDS) {
    if (program.commands.some((k) => k.name() === c.name)) continue; // zip.ts registers zip and unzip
    if (c.module === wanted) {
      (await MODULES[c.module]()).register(program);
    } else {
      program.command(c.name).description(c.description).allowUnknownOption().allowExcessArguments();
    }
  }
}
