/**
 * The `fivelens` command line. `list` and `run` live here; every other command is one module in
 * ./commands/. Exit codes: 0 success, 1 a run failed, 2 a usage error, 130 / 143 interrupted by
 * SIGINT / SIGTERM. Nothing heavy is imported at start: `list` and `--help` read the catalogue,
 * and a command imports its machinery (tfjs, the experiment's lens, the SVG renderer) when it runs.
 */
import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { LENSES, type Experiment, type ExperimentResult, type Lens, type PresetName } from '../experiments/contract.js';
import { loadExperiment, readCatalog, type CatalogEntry } from '../experiments/catalog.js';
import { nearest } from '../experiments/registry-names.js';
import { RunError, UsageError } from './errors.js';
import { seedArg } from './args.js';
import { checkOutFolder } from './dest.js';
import { installSignalHandlers, interrupt, InterruptedError, throwIfInterrupted, trackTemp, untrackTemp } from './interrupt.js';
import { registerCommands } from './commands/index.js';

export { interrupt } from './interrupt.js';

function print(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

function lensOf(s: string): Lens {
  if (!(LENSES as readonly string[]).includes(s)) throw new UsageError(`--lens ${s}: expected one of ${LENSES.join(', ')}`);
  return s as Lens;
}

/** The package version (package.json two folders up from src/cli or dist/cli). */
export function version(): string {
  const pkg = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** The folder a run is written to: --out (new or empty, writable), or runs/<id>/<timestamp>/. Checked before the run. */
export function outputDir(id: string, out?: string): string {
  if (out) return checkOutFolder('--out', out);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return checkOutFolder('--out', path.join(process.cwd(), 'runs', id, stamp));
}

/** Write result.json, result.md and one SVG per figure into `dir`, all or nothing (temp folder + rename). */
export async function writeRun(dir: string, exp: Experiment, result: ExperimentResult): Promise<void> {
  const { renderSvg } = await import('../report/svg.js');
  const { resultMarkdown } = await import('../report/markdown.js');
  const tmp = `${dir}.tmp-${process.pid}`;
  trackTemp(tmp);
  try {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const files: [string, () => string | Promise<string>][] = [
      ['result.json', () => JSON.stringify(result, null, 2)],
      ['result.md', () => resultMarkdown(result, exp.title, 'en')],
      ['result.zh.md', () => resultMarkdown(result, exp.title, 'zh')],
      ...result.figures.map((f): [string, () => Promise<string>] => [`${f.id}.svg`, () => renderSvg(f.spec)]),
    ];
    for (const [name, content] of files) {
      throwIfInterrupted();
      await writeFile(path.join(tmp, name), await content());
    }
    throwIfInterrupted();
    await mkdir(path.dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true }); // only ever an empty folder (checked in outputDir)
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    untrackTemp(tmp);
  }
}

/** `run <id> --help`: the experiment's parameters with type, range and default. */
export function paramsHelp(e: CatalogEntry): string {
  const rows = e.params.map((p) => {
    const range = p.enum ? p.enum.map((v) => JSON.stringify(v)).join(' | ') : p.minimum !== undefined || p.maximum !== undefined ? `[${p.minimum ?? '−∞'}, ${p.maximum ?? '∞'}]` : '';
    const def = p.default !== undefined ? `default ${JSON.stringify(p.default)}` : '';
    return `  ${p.key.padEnd(18)} ${p.type.padEnd(8)} ${range.padEnd(16)} ${def}${p.description ? `\n  ${''.padEnd(18)} ${p.description}` : ''}`;
  });
  const presets = (['quick', 'full'] as const).map((k) => `  --preset ${k.padEnd(6)} ${JSON.stringify(e.presets[k] ?? {})}`);
  return `\n${e.id} — ${e.title.en} · ${e.title.zh}\nParameters (--set key=value):\n${rows.join('\n') || '  (none)'}\nPresets:\n${presets.join('\n')}\n`;
}

/** Set by `main` before parsing when `run <id> --help` is asked for. */
let helpEntry: CatalogEntry | undefined;

interface RunOpts {
  preset: PresetName;
  seed: string;
  set?: string[];
  out?: string;
  backend?: string;
  json?: boolean;
}

async function unknownId(id: string): Promise<UsageError> {
  const near = nearest(id, (await readCatalog()).map((e) => e.id));
  return new UsageError(`unknown experiment "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (fivelens list shows all)`);
}

/** Experiments that train a GPT (trainedGPT) train it data-parallel on two threads, as `fivelens train` does. */
async function parallelTraining(): Promise<void> {
  const threads = Math.min(2, cpus().length);
  if (threads < 2) return;
  const { setGradientProviderFactory } = await import('../gpt/trained.js');
  setGradientProviderFactory(async (model) => (await import('../gpt/parallel.node.js')).createParallelGradients(model, threads));
}

async function runCommand(id: string, opts: RunOpts): Promise<void> {
  const exp = await loadExperiment(id);
  if (!exp) throw await unknownId(id);
  const { parseSets, ParamError, describeParams } = await import('../experiments/params.js');
  const seed = seedArg(opts.seed);
  let overrides: Record<string, unknown>;
  try {
    overrides = parseSets(exp, opts.set ?? []);
  } catch (err) {
    if (err instanceof ParamError) throw new UsageError(err.message);
    throw err;
  }
  const dir = outputDir(id, opts.out);
  await parallelTraining();
  const { runExperiment } = await import('../experiments/runner.js');
  const { nodeHost } = await import('../experiments/node-host.js');
  const { createProgress } = await import('./progress.js');
  const bar = createProgress(id, !opts.json && process.stderr.isTTY === true);
  let started = false; // the experiment reported progress or a log line: it is measuring
  let result: ExperimentResult;
  try {
    const host = nodeHost({
      signal: interrupt.signal,
      progress: (f, m) => ((started = true), bar.update(f, m)),
      log: (m) => ((started = true), !opts.json && process.stderr.write(m + '\n')),
    });
    result = await runExperiment(exp, host, { preset: opts.preset, seed, overrides, ...(opts.backend ? { backend: opts.backend } : {}) });
    throwIfInterrupted();
  } catch (err) {
    bar.stop();
    if (interrupt.signal.aborted) throw new InterruptedError(`${id}: ${(interrupt.signal.reason as Error).message}`);
    if (err instanceof ParamError) throw new UsageError(err.message);
    // an experiment's own check of its parameters (e.g. betaMax > betaMin), thrown before it measured anything
    const msg = (err as Error).message;
    if (!started && describeParams(exp.params).some((p) => new RegExp(`\\b${p.key}\\b`).test(msg))) throw new UsageError(`${id}: ${msg}`);
    throw new RunError(`${id} failed: ${msg}`);
  }
  bar.stop();
  try {
    await writeRun(dir, exp, result);
  } catch (err) {
    if (interrupt.signal.aborted) throw new InterruptedError(`${id}: ${(interrupt.signal.reason as Error).message}`);
    throw err;
  }
  if (opts.json) return print(JSON.stringify(result));
  print(`\n${exp.title.en} · ${exp.title.zh}  (${(result.wallTimeMs / 1000).toFixed(1)} s, ${result.backend})`);
  for (const v of result.verdicts) print(`  [${v.verdict}] ${v.claim}: ${v.because.en}`);
  for (const f of result.findings) print(`  - ${f.en}`);
  print(`written to ${path.relative(process.cwd(), dir) || dir}`);
}

/** The program with `list`, `run` and every command (the one `argv` runs in full, the others by name). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('fivelens')
    .description('Why LLMs rest on information theory, control, optimization, compression and perception — as experiments you can run.')
    .version(version(), '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('list')
    .description('list the experiments')
    .option('--lens <lens>', `only one lens (${LENSES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (opts: { lens?: string; json?: boolean }) => {
      const lens = opts.lens ? lensOf(opts.lens) : undefined;
      const list = (await readCatalog()).filter((e) => !lens || e.lens === lens);
      if (opts.json) {
        print(JSON.stringify(list.map(({ module: _m, ...e }) => e), null, 2));
        return;
      }
      for (const e of list) print(`${e.id.padEnd(42)} ${e.title.en} · ${e.title.zh}`);
      if (list.length === 0) print('(no experiments)');
    });

  program
    .command('run <id>')
    .description('run one experiment; writes result.json, result.md and SVG figures (`run <id> --help` lists its parameters)')
    .addOption(new Option('--preset <preset>', 'quick (seconds) or full (the real result)').choices(['quick', 'full']).default('quick'))
    .option('--seed <n>', 'random seed', '1337')
    .option('--set <key=value...>', 'override a parameter (repeatable)')
    .option('--out <dir>', 'output folder (default runs/<id>/<timestamp>/)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['wasm', 'cpu']))
    .option('--json', 'print only the result JSON on stdout')
    .addHelpText('after', () => (helpEntry ? paramsHelp(helpEntry) : ''))
    .action(runCommand);

  await registerCommands(program, argv);
  return program;
}

/** Run the CLI; returns the exit code (does not call process.exit). */
export async function main(argv: string[]): Promise<number> {
  helpEntry = undefined;
  if (argv[0] === 'run' && argv[1] && (argv.includes('--help') || argv.includes('-h'))) helpEntry = (await readCatalog()).find((e) => e.id === argv[1]);
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line message
    }
    if (err instanceof UsageError || err instanceof RunError || err instanceof InterruptedError) {
      process.stderr.write(`fivelens: ${err.message}\n`);
      return err.exitCode;
    }
    if (interrupt.signal.aborted) {
      const reason = interrupt.signal.reason as InterruptedError;
      process.stderr.write(`fivelens: ${reason.message}\n`);
      return reason.exitCode;
    }
    process.stderr.write(`fivelens: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

/** The process entry (bin/fivelens.mjs calls it): pipes, signals, exit code. */
export async function cli(argv: string[]): Promise<void> {
  // a reader that stops early (`fivelens run … --json | head`) closes the pipe: that is not an error
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  installSignalHandlers();
  const code = await main(argv);
  // worker threads or wasm handles must not keep a finished command alive
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] && /main\.(?:ts|js)$/.test(process.argv[1])) void cli(process.argv.slice(2));
