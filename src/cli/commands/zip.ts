/**
 * `fivelens zip IN [-o OUT]` and `fivelens unzip IN [-o OUT]` — the language model as a real
 * compressor (issue 7). `-` reads stdin / writes stdout.
 *
 *   --online        (default) a self-contained file: both sides start from the same initial model
 *                   and learn from the bytes already coded (context mixing, src/lenses/compression/cm.ts)
 *   --model CKPT    a trained GPT checkpoint both sides share (a .safetensors file, or the run folder
 *                   `fivelens train --out DIR` writes: model.safetensors + config.json + vocab.json),
 *                   run as the integer GPT (intgpt.ts: bit-exact on any machine) and mixed with the
 *                   same adaptive model; the checkpoint's size is reported, not counted
 *   --dict FILE     a dictionary both sides hold (e.g. the training text), learned by the adaptive
 *                   model before coding (alone or with --model); reported, not counted
 *
 * The input is never overwritten; the output is written atomically (temp file + rename), and a
 * wrong model, a truncated or an altered file ends with one clear error and no output file.
 */
import type { Command } from 'commander';
import { readFile, realpath } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../experiments/node-host.js';
import { UsageError, RunError } from '../errors.js';
import { checkOutFile } from '../dest.js';
import { killable, throwIfInterrupted } from '../interrupt.js';
import { zipBytes, unzipBytes, inspectContainer } from '../../zip/codec.js';
import { ContainerError } from '../../zip/container.js';
import { onlineModel, gptModel, dictModel } from '../../zip/zipmodels.js';
import type { ZipModel } from '../../zip/codec.js';

async function readInput(inp: string): Promise<Uint8Array> {
  if (inp === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  if (!existsSync(inp)) throw new UsageError(`${inp}: no such file (give a readable file, or - for stdin)`);
  if (statSync(inp).isDirectory()) throw new UsageError(`${inp}: is a directory (give a file, or - for stdin)`);
  return new Uint8Array(await readFile(inp));
}

/**
 * Where to write: `-` = stdout (binary: refused on a terminal unless --force). Refuses to overwrite
 * the input, or an existing file without --force; checks the folder can take about `needBytes`
 * before any work starts.
 */
async function resolveOutput(inp: string, out: string | undefined, defaultOut: () => string | undefined, force: boolean, needBytes: number, binary = true): Promise<string> {
  const o = out ?? (inp === '-' ? '-' : defaultOut());
  if (!o) throw new UsageError(`${inp}: cannot derive an output name (it does not end in .flz); give -o OUT or -o - for stdout`);
  if (o === '-') {
    if (binary && process.stdout.isTTY && !force) throw new UsageError('compressed data not written to a terminal; redirect it (-c > FILE), give -o FILE, or --force');
    return o;
  }
  if (inp !== '-') {
    const a = await realpath(inp);
    const b = existsSync(o) ? await realpath(o) : path.resolve(o);
    if (a === b) throw new UsageError(`-o ${o}: is the input file; the input is never overwritten`);
  }
  if (existsSync(o) && statSync(o).isDirectory()) throw new UsageError(`-o ${o}: is a folder; give a file name`);
  if (existsSync(o) && !force) throw new UsageError(`-o ${o}: exists; pass --force to replace it`);
  checkOutFile('-o', o, needBytes);
  return o;
}

async function writeOutput(o: string, data: Uint8Array): Promise<void> {
  if (o === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
    return;
  }
  await writeFileAtomic(o, data);
}

async function loadModel(mode: 'online' | 'model', ckpt: string | undefined, dictFile?: string): Promise<ZipModel> {
  let dict: Uint8Array | undefined;
  if (dictFile) {
    if (!existsSync(dictFile) || statSync(dictFile).isDirectory()) throw new UsageError(`--dict ${dictFile}: no such file (any file both sides hold, e.g. the training text)`);
    dict = new Uint8Array(await readFile(dictFile));
  }
  if (mode === 'online' && !dict) return onlineModel();
  if (!ckpt && dict) return dictModel(dict);
  if (!ckpt) throw new UsageError('--model needs a checkpoint file');
  if (!existsSync(ckpt)) throw new UsageError(`--model ${ckpt}: no such file (a checkpoint written by fivelens train)`);
  let file = ckpt;
  let meta: { config?: string; vocab?: string } | undefined;
  if (statSync(ckpt).isDirectory()) {
    const cands = ['model.safetensors', 'checkpoint.safetensors'].map((f) => path.join(ckpt, f)).filter((f) => existsSync(f));
    if (!cands.length) throw new UsageError(`--model ${ckpt}: a folder without model.safetensors`);
    file = cands[0]!;
    // a run folder (fivelens train --out) keeps the config and vocabulary beside the weights
    const cfg = path.join(ckpt, 'config.json');
    const voc = path.join(ckpt, 'vocab.json');
    if (existsSync(cfg) && existsSync(voc)) meta = { config: await readFile(cfg, 'utf8'), vocab: await readFile(voc, 'utf8') };
  }
  try {
    return gptModel(new Uint8Array(await readFile(file)), {}, dict, meta ? { meta } : {});
  } catch (err) {
    throw new UsageError(`--model ${ckpt}: not a fivelens GPT checkpoint (${(err as Error).message})`);
  }
}

function human(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

function charCount(data: Uint8Array): number {
  // code points of the UTF-8 text (invalid bytes count one each)
  const s = new TextDecoder('utf-8', { fatal: false }).decode(data);
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function register(program: Command): void {
  program
    .command('zip <in>')
    .description('compress a file with the language model (arithmetic coding); - for stdin')
    .option('-o, --output <out>', 'output file (default IN.flz; - for stdout)')
    .option('-c, --stdout', 'write to stdout (as -o -)')
    .option('-d, --decompress', 'decompress (as fivelens unzip)')
    .option('-k, --keep', 'keep the input file (always: fivelens never removes or changes its input)')
    .option('--online', 'self-contained: the model learns from the text as it is coded (default)')
    .option('--model <ckpt>', 'a trained GPT checkpoint both sides share (its size is not counted)')
    .option('--dict <file>', 'a dictionary both sides hold (e.g. the training text), learned before coding; its size is not counted')
    .option('-f, --force', 'replace an existing output file')
    .option('-q, --quiet', 'no statistics on stderr')
    .action(async (inp: string, opts: ZipOpts) => {
      if (opts.decompress) return unzipAction(inp, opts);
      if (opts.online && (opts.model || opts.dict)) throw new UsageError('--online (self-contained) excludes --model and --dict: choose one');
      const mode = opts.model || opts.dict ? 'model' : 'online';
      const data = await readInput(inp);
      const out = await resolveOutput(inp, opts.stdout ? '-' : opts.output, () => `${inp}.flz`, !!opts.force, data.length + (1 << 16));
      const model = await loadModel(mode, opts.model, opts.dict);
      throwIfInterrupted();
      // the speed counts building the model (priming a dictionary) and coding: what the user waits for
      const b0 = performance.now();
      const predictor = killable(() => model.create(data.length));
      const build = (performance.now() - b0) / 1000;
      const file = killable(() => zipBytes(data, model, undefined, predictor));
      const secs = (performance.now() - b0) / 1000;
      throwIfInterrupted();
      await writeOutput(out, file);
      if (!opts.quiet) {
        const chars = charCount(data);
        const bits = file.length * 8;
        process.stderr.write(
          `${inp}: ${human(data.length)} → ${human(file.length)} (${(bits / Math.max(1, data.length)).toFixed(3)} bits/byte, ${(bits / Math.max(1, chars)).toFixed(3)} bits/char), ` +
            `${(data.length / 1024 / Math.max(secs, 1e-9)).toFixed(1)} KB/s` +
            (build > 0.5 ? ` (of which ${build.toFixed(1)} s to build the model)` : '') +
            `, mode ${mode}` +
            (model.checkpoint ? `; model${opts.dict ? ' + dictionary' : ''} ${human(model.checkpoint.length)} not counted` : '') +
            '\n',
        );
      }
    });

  program
    .command('unzip <in>')
    .description('decompress a file made by fivelens zip; - for stdin')
    .option('-o, --output <out>', 'output file (default IN without .flz; - for stdout)')
    .option('-c, --stdout', 'write to stdout (as -o -)')
    .option('-k, --keep', 'keep the input file (always: fivelens never removes or changes its input)')
    .option('--model <ckpt>', 'the checkpoint the file was compressed with')
    .option('--dict <file>', 'the dictionary the file was compressed with')
    .option('-f, --force', 'replace an existing output file')
    .action(unzipAction);
}

interface ZipOpts {
  output?: string;
  stdout?: boolean;
  decompress?: boolean;
  keep?: boolean;
  online?: boolean;
  model?: string;
  dict?: string;
  force?: boolean;
  quiet?: boolean;
}

/** The flags the file was made with, as the user has to give them again. */
function neededFlags(mode: 'online' | 'model'): string {
  return mode === 'online' ? 'this file was compressed self-contained (--online); pass neither --model nor --dict' : 'this file was compressed with --model CKPT and/or --dict FILE; pass the same ones';
}

async function unzipAction(inp: string, opts: ZipOpts): Promise<void> {
  const file = await readInput(inp);
  const out = await resolveOutput(inp, opts.stdout ? '-' : opts.output, () => (inp.endsWith('.flz') ? inp.slice(0, -4) : undefined), !!opts.force, 0, false);
  try {
    const header = inspectContainer(file);
    const given = opts.model || opts.dict ? 'model' : 'online';
    if (header.mode !== given) throw new ContainerError('wrong-mode', neededFlags(header.mode));
    const model = await loadModel(given, opts.model, opts.dict);
    throwIfInterrupted();
    const data = killable(() => unzipBytes(file, model));
    throwIfInterrupted();
    await writeOutput(out, data);
  } catch (err) {
    if (err instanceof ContainerError) throw new RunError(`${inp}: ${err.message}; nothing was written`);
    throw err;
  }
}
