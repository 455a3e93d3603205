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
 * Both directions stream (container format version 2, src/zip/stream.ts): the input is read in
 * 64 KB pieces and coded in steps of about 0.1 s (at most 64 KB), with the event loop free in
 * between (Ctrl-C stops within a second), so memory does not grow with the file beyond the model's own. The input is never
 * overwritten; an output file is written to a temporary file beside it and renamed only when
 * complete (unzip: only after the end record verified), and a wrong model, a truncated or an
 * altered file ends with one clear error and no output file. To stdout (`-c`), unzip writes each
 * block once its CRC-32 matched; a later damaged block stops it with exit 1 and the output so far
 * is incomplete (as with gzip -dc). Version-1 files (written before streaming) are read whole.
 */
import { Option, type Command } from 'commander';
import { readFile, realpath } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../experiments/node-host.js';
import { UsageError, RunError } from '../errors.js';
import { checkOutFile } from '../dest.js';
import { killable, throwIfInterrupted } from '../interrupt.js';
import { createProgress, type Progress } from '../progress.js';
import { breathe, openSink, readChunks, type Sink } from '../stream-io.js';
import { unzipBytes, inspectContainer, openStream, pickModel, unzipper, zipper } from '../../zip/codec.js';
import { BLOCK_MAX, ContainerError, HEADER_BYTES, type HeaderV2 } from '../../zip/container.js';
import { concat, type Unzipper, type Zipper } from '../../zip/stream.js';
import { onlineModel, gptModel, dictModel } from '../../zip/zipmodels.js';
import { loadCMWasm } from '../../zip/cm-wasm.node.js';

// the default model's WebAssembly build (npm run build); without it the TypeScript reference codes the same bytes
loadCMWasm();
import type { ZipModel } from '../../zip/codec.js';

/**
 * The raw bytes coded or decoded between two looks at the event loop, sized from the speed measured
 * so far so that a step takes about 0.1 s (the default model runs ~150 KB/s, --model ~15 KB/s):
 * Ctrl-C is served within a second whatever the model.
 */
class Pacer {
  size = 1 << 12;
  private t = 0;
  start(): void {
    this.t = performance.now();
  }
  /** `bytes` were coded since start() */
  done(bytes: number): void {
    const ms = performance.now() - this.t;
    if (bytes > 0 && ms > 0) this.size = Math.max(1 << 10, Math.min(1 << 16, Math.round((bytes * 100) / ms)));
  }
}
/** Inputs above this get a progress bar (on a terminal). */
const BAR_BYTES = 1 << 20;

/** The input's size when it is a regular file (the length hint); undefined for stdin, a pipe or a device. */
function inputSize(inp: string): number | undefined {
  if (inp === '-') return undefined;
  if (!existsSync(inp)) throw new UsageError(`${inp}: no such file (give a readable file, or - for stdin)`);
  const st = statSync(inp);
  if (st.isDirectory()) throw new UsageError(`${inp}: is a directory (give a file, or - for stdin)`);
  return st.isFile() ? st.size : undefined;
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

/** Open the sink, run `work` into it, commit; on any failure abort (a temporary file is removed). */
async function withSink<T>(out: string, work: (sink: Sink) => Promise<T>): Promise<T> {
  const sink = await openSink(out);
  try {
    const r = await work(sink);
    await sink.commit();
    return r;
  } catch (err) {
    await sink.abort();
    throw err;
  }
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

/** Code points of UTF-8 text read in pieces (invalid bytes count as the decoder's U+FFFD: one each). */
class CharCounter {
  private readonly dec = new TextDecoder('utf-8', { fatal: false });
  private n = 0;
  add(piece: Uint8Array): void {
    this.count(this.dec.decode(piece, { stream: true }));
  }
  end(): number {
    this.count(this.dec.decode());
    return this.n;
  }
  private count(s: string): void {
    for (const _ of s) this.n++;
  }
}

const STDOUT_HELP = `
To stdout (-c, -o -), unzip writes each block as soon as its CRC-32 matched: if a later block is
damaged or the file is cut short, it stops with exit 1 and the output so far is incomplete (as
gzip -dc). To a file, nothing is written unless the whole file verified.
`;

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
    .option('--json', 'print the statistics as one JSON object on stdout (not with -c / -o -)')
    .addOption(new Option('--block-size <bytes>', `raw bytes per block, 1…${BLOCK_MAX} (for tests: a small file crosses many blocks)`).hideHelp())
    .addHelpText('after', STDOUT_HELP)
    .action(async (inp: string, opts: ZipOpts) => (opts.decompress ? unzipAction(inp, opts) : zipAction(inp, opts)));

  program
    .command('unzip <in>')
    .description('decompress a file made by fivelens zip; - for stdin')
    .option('-o, --output <out>', 'output file (default IN without .flz; - for stdout)')
    .option('-c, --stdout', 'write to stdout (as -o -)')
    .option('-k, --keep', 'keep the input file (always: fivelens never removes or changes its input)')
    .option('--model <ckpt>', 'the checkpoint the file was compressed with')
    .option('--dict <file>', 'the dictionary the file was compressed with')
    .option('-f, --force', 'replace an existing output file')
    .option('--json', 'print what was done as one JSON object on stdout (not with -c / -o -)')
    .addHelpText('after', STDOUT_HELP)
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
  json?: boolean;
  blockSize?: string;
}

/** --json writes to stdout, which -c / -o - (and stdin without -o) give to the data. */
function checkJson(opts: ZipOpts, out: string): void {
  if (opts.json && out === '-') throw new UsageError('--json prints on stdout, where the data would go (-c, -o -, or stdin without -o): give -o FILE with --json');
}

function printJson(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

function blockSizeArg(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= BLOCK_MAX)) throw new UsageError(`--block-size ${v}: expected a whole number of bytes from 1 to ${BLOCK_MAX}`);
  return n;
}

function progressBar(label: string, total: number | undefined): Progress {
  return createProgress(label, process.stderr.isTTY === true && total !== undefined && total > BAR_BYTES);
}

async function zipAction(inp: string, opts: ZipOpts): Promise<void> {
  if (opts.online && (opts.model || opts.dict)) throw new UsageError('--online (self-contained) excludes --model and --dict: choose one');
  const mode = opts.model || opts.dict ? 'model' : 'online';
  const blockSize = blockSizeArg(opts.blockSize);
  const size = inputSize(inp);
  const out = await resolveOutput(inp, opts.stdout ? '-' : opts.output, () => `${inp}.flz`, !!opts.force, (size ?? 0) + (1 << 16));
  checkJson(opts, out);
  const model = await loadModel(mode, opts.model, opts.dict);
  throwIfInterrupted();
  // the speed counts building the model (priming a dictionary) and coding: what the user waits for
  const b0 = performance.now();
  const stream = killable(() => openStream(model, size)); // nothing is open yet: Ctrl-C may end it at once
  const build = (performance.now() - b0) / 1000;
  const z = zipper(model, { lengthHint: size, blockSize, stream });
  const bar = progressBar('zip', size);
  const progress = (done: number) => size && bar.update(done / size);
  const { chars, written } = await withSink(out, (sink) => zipInto(inp, z, sink, progress)).finally(() => bar.stop());
  const secs = (performance.now() - b0) / 1000;
  if (opts.json) {
    const raw = z.rawDone;
    printJson({
      command: 'zip', input: inp, output: out, mode, model: model.config, bytesIn: raw, bytesOut: written, chars,
      bitsPerByte: raw ? (written * 8) / raw : null, bitsPerChar: chars ? (written * 8) / chars : null,
      seconds: secs, buildSeconds: build, kbPerSecond: raw / 1024 / Math.max(secs, 1e-9), notCountedBytes: model.checkpoint?.length ?? 0,
    });
  } else if (!opts.quiet) {
    const raw = z.rawDone;
    const bits = written * 8;
    process.stderr.write(
      `${inp}: ${human(raw)} → ${human(written)} (${(bits / Math.max(1, raw)).toFixed(3)} bits/byte, ${(bits / Math.max(1, chars)).toFixed(3)} bits/char), ` +
        `${(raw / 1024 / Math.max(secs, 1e-9)).toFixed(1)} KB/s` +
        (build > 0.5 ? ` (of which ${build.toFixed(1)} s to build the model)` : '') +
        `, mode ${mode}` +
        (model.checkpoint ? `; model${opts.dict ? ' + dictionary' : ''} ${human(model.checkpoint.length)} not counted` : '') +
        '\n',
    );
  }
}

/** Read the input in pieces, code them a paced step at a time and write the container as it grows. */
async function zipInto(inp: string, z: Zipper, sink: Sink, progress: (done: number) => void): Promise<{ chars: number; written: number }> {
  const chars = new CharCounter();
  const pace = new Pacer();
  for await (const chunk of readChunks(inp)) {
    for (let i = 0; i < chunk.length; ) {
      const piece = chunk.subarray(i, i + pace.size);
      i += piece.length;
      chars.add(piece);
      pace.start();
      const out = z.push(piece);
      pace.done(piece.length);
      await sink.write(out);
      progress(z.rawDone);
      await breathe();
    }
  }
  await sink.write(z.end());
  return { chars: chars.end(), written: sink.written };
}

/** The flags the file was made with, as the user has to give them again. */
function neededFlags(mode: 'online' | 'model'): string {
  return mode === 'online' ? 'this file was compressed self-contained (--online); pass neither --model nor --dict' : 'this file was compressed with --model CKPT and/or --dict FILE; pass the same ones';
}

/** The first pieces of the input, until there are `n` bytes (a header) or the input ends. */
async function readHead(chunks: AsyncIterator<Uint8Array>, n: number): Promise<{ head: Uint8Array; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const c = await chunks.next();
    if (c.done) return { head: concat(parts), ended: true };
    parts.push(c.value);
    have += c.value.length;
  }
  return { head: concat(parts), ended: false };
}

async function unzipAction(inp: string, opts: ZipOpts): Promise<void> {
  const t0 = performance.now();
  const bytesIn = inputSize(inp);
  const out = await resolveOutput(inp, opts.stdout ? '-' : opts.output, () => (inp.endsWith('.flz') ? inp.slice(0, -4) : undefined), !!opts.force, 0, false);
  checkJson(opts, out);
  const chunks = readChunks(inp);
  let written = 0;
  try {
    const { head, ended } = await readHead(chunks, HEADER_BYTES);
    const header = inspectContainer(head);
    const given = opts.model || opts.dict ? 'model' : 'online';
    if (header.mode !== given) throw new ContainerError('wrong-mode', neededFlags(header.mode));
    const model = await loadModel(given, opts.model, opts.dict);
    throwIfInterrupted();
    if (header.version === 1) written = await unzipWhole(head, ended ? undefined : chunks, model, out);
    else {
      const m = pickModel(header, model);
      const stream = killable(() => openStream(m, header.lengthHint)); // nothing is open yet
      const u = unzipper(m, stream);
      await withSink(out, (sink) => unzipInto(head, chunks, u, sink, header).finally(() => (written = sink.written)));
    }
    const seconds = (performance.now() - t0) / 1000;
    if (opts.json) printJson({ command: 'unzip', input: inp, output: out, format: header.version, mode: header.mode, bytesIn: bytesIn ?? null, bytesOut: written, seconds, kbPerSecond: written / 1024 / Math.max(seconds, 1e-9) });
  } catch (err) {
    if (!(err instanceof ContainerError)) throw err;
    const after = out === '-' && written > 0 ? `the output so far (${human(written)}) is incomplete` : 'nothing was written';
    throw new RunError(`${inp}: ${err.message}; ${after}`);
  } finally {
    await chunks.return(undefined);
  }
}

/** Feed the file to the Unzipper and write each verified block; the end record must match. */
async function unzipInto(head: Uint8Array, chunks: AsyncIterator<Uint8Array>, u: Unzipper, sink: Sink, header: HeaderV2): Promise<void> {
  const total = header.lengthHint;
  const bar = progressBar('unzip', total);
  const pace = new Pacer();
  const step = () => {
    const before = u.rawDone;
    pace.start();
    const r = u.next(pace.size);
    pace.done(u.rawDone - before);
    return r;
  };
  const drain = async () => {
    for (let r = step(); r !== null; r = step()) {
      await sink.write(r);
      if (total) bar.update(u.rawDone / total);
      await breathe();
    }
  };
  try {
    u.write(head);
    await drain();
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) {
      u.write(c.value);
      await drain();
    }
    await sink.write(u.end());
  } finally {
    bar.stop();
  }
}

/** A version-1 file: read whole and decoded in memory, as it always was; returns the bytes written. */
async function unzipWhole(head: Uint8Array, rest: AsyncIterator<Uint8Array> | undefined, model: ZipModel, out: string): Promise<number> {
  const parts = [head];
  for (let c = await rest?.next(); c && !c.done; c = await rest!.next()) parts.push(c.value);
  const data = killable(() => unzipBytes(concat(parts), model));
  throwIfInterrupted();
  if (out === '-') await withSink(out, (sink) => sink.write(data));
  else await writeFileAtomic(out, data);
  return data.length;
}
