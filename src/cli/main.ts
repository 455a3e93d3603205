/**
 * The `fivelens` command line. `list` and `run` live here; every other command is one module in
 * ./commands/. Exit codes: 0 success, 1 a run failed, 2 a usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { EXPERIMENTS, getExperiment, nearest } from '../experiments/registry.js';
import { LENSES, type Experiment, type ExperimentResult, type Lens, type PresetName } from '../experiments/contract.js';
import { describeParams, parseSets, ParamError } from '../experiments/params.js';
import { runExperiment } from '../experiments/runner.js';
import { nodeHost } from '../experiments/node-host.js';
import { renderSvg } from '../report/svg.js';
import { resultMarkdown } from '../report/markdown.js';
import { createProgress } from './progress.js';
import { RunError, UsageError } from './errors.js';
import { seedArg } from './args.js';
import { COMMANDS } from './commands/index.js';

/** Ctrl-C aborts the current run through this signal (installed once by `main`). */
export const interrupt = new AbortController();

function print(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

function lensOf(s: string): Lens {
  if (!(LENSES as readonly string[]).includes(s)) throw new UsageError(`--lens ${s}: expected one of ${LENSES.join(', ')}`);
  return s as Lens;
}

/** The folder a run is written to: --out, or runs/<id>/<timestamp>/. Refuses a non-empty existing folder. */
export function outputDir(id: string, out?: string): string {
  if (out) {
    const dir = path.resolve(out);
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--out ${out}: folder exists and is not empty; choose a new or empty folder`);
    return dir;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(process.cwd(), 'runs', id, stamp);
}

/** Write result.json, result.md and one SVG per figure into `dir`, all or nothing (temp folder + rename). */
export async function writeRun(dir: string, exp: Experiment, result: ExperimentResult): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(path.join(tmp, 'result.json'), JSON.stringify(result, null, 2));
    await writeFile(path.join(tmp, 'result.md'), resultMarkdown(result, exp.title, 'en'));
    await writeFile(path.join(tmp, 'result.zh.md'), resultMarkdown(result, exp.title, 'zh'));
    for (const f of result.figures) await writeFile(path.join(tmp, `${f.id}.svg`), await renderSvg(f.spec));
    await mkdir(path.dirname(dir), { recursive: true });
    if (existsSync(dir)) await rm(dir, { recursive: true }); // only ever an empty folder (checked in outputDir)
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('fivelens')
    .description('Why LLMs rest on information theory, control, optimization, compression and perception — as experiments you can run.')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('list')
    .description('list the experiments')
    .option('--lens <lens>', `only one lens (${LENSES.join(', ')})`)
    .option('--json', 'print JSON')
    .action((opts: { lens?: string; json?: boolean }) => {
      const lens = opts.lens ? lensOf(opts.lens) : undefined;
      const list = EXPERIMENTS.filter((e) => !lens || e.lens === lens);
      if (opts.json) {
        print(
          JSON.stringify(
            list.map((e) => ({ id: e.id, lens: e.lens, title: e.title, summary: e.summary, claims: e.claims, params: describeParams(e.params), presets: e.presets })),
            null,
            2,
          ),
        );
        return;
      }
      for (const e of list) print(`${e.id.padEnd(42)} ${e.title.en} · ${e.title.zh}`);
      if (list.length === 0) print('(no experiments)');
    });

  program
    .command('run <id>')
    .description('run one experiment; writes result.json, result.md and SVG figures')
    .addOption(new Option('--preset <preset>', 'quick (seconds) or full (the real result)').choices(['quick', 'full']).default('quick'))
    .option('--seed <n>', 'random seed', '1337')
    .option('--set <key=value...>', 'override a parameter (repeatable)')
    .option('--out <dir>', 'output folder (default runs/<id>/<timestamp>/)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['wasm', 'cpu']))
    .option('--json', 'print only the result JSON on stdout')
    .action(async (id: string, opts: { preset: PresetName; seed: string; set?: string[]; out?: string; backend?: string; json?: boolean }) => {
      const exp = getExperiment(id);
      if (!exp) {
        const near = nearest(id, EXPERIMENTS.map((e) => e.id));
        throw new UsageError(`unknown experiment "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (fivelens list shows all)`);
      }
      const seed = seedArg(opts.seed);
      let overrides: Record<string, unknown>;
      try {
        overrides = parseSets(exp, opts.set ?? []);
      } catch (err) {
        if (err instanceof ParamError) throw new UsageError(err.message);
        throw err;
      }
      const dir = outputDir(id, opts.out);
      const bar = createProgress(id, !opts.json && process.stderr.isTTY === true);
      let result: ExperimentResult;
      try {
        result = await runExperiment(exp, nodeHost({ signal: interrupt.signal, progress: (f, m) => bar.update(f, m), log: (m) => !opts.json && process.stderr.write(m + '\n') }), {
          preset: opts.preset,
          seed,
          overrides,
          ...(opts.backend ? { backend: opts.backend } : {}),
        });
      } catch (err) {
        bar.stop();
        if (err instanceof ParamError) throw new UsageError(err.message);
        if ((err as Error).name === 'AbortError') throw new RunError(`${id}: aborted; nothing was written`);
        throw new RunError(`${id} failed: ${(err as Error).message}`);
      }
      bar.stop();
      await writeRun(dir, exp, result);
      if (opts.json) {
        print(JSON.stringify(result));
        return;
      }
      print(`\n${exp.title.en} · ${exp.title.zh}  (${(result.wallTimeMs / 1000).toFixed(1)} s, ${result.backend})`);
      for (const v of result.verdicts) print(`  [${v.verdict}] ${v.claim}: ${v.because.en}`);
      for (const f of result.findings) print(`  - ${f.en}`);
      print(`written to ${path.relative(process.cwd(), dir) || dir}`);
    });

  for (const c of COMMANDS) c.register(program);
  return program;
}

/** Run the CLI; returns the exit code (does not call process.exit). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line message
    }
    if (err instanceof UsageError || err instanceof RunError) {
      process.stderr.write(`fivelens: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`fivelens: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && /(?:main\.ts|fivelens(?:\.mjs)?)$/.test(process.argv[1]);
if (isEntry) {
  // a reader that stops early (`fivelens run … --json | head`) closes the pipe: that is not an error
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write('\nfivelens: interrupted, cleaning up…\n');
    interrupt.abort();
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
