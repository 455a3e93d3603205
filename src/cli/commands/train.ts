/**
 * `fivelens train --corpus shakespeare|tang|song|PATH --config nano|baby|small|CONFIG.json
 *   [--steps N] [--out DIR] [--resume DIR] [--seed S] [--batch-size B] [--eval-every K] [--workers W]
 *   [--recipe nanogpt] [--set key=value …] [--json]`
 *
 * Trains the tiny GPT with a live progress line (step, train loss, tokens/s, ETA), validation in
 * bits per character every K steps, a checkpoint (safetensors + config + vocab + optimizer/rng state)
 * at every validation and at the end, and the loss curves as loss-curve.svg. Ctrl-C saves a
 * checkpoint at the current step; `--resume DIR` continues from it bit for bit.
 */
import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { RunError, UsageError } from '../errors.js';
import { initEngine } from '../../engine/tf.js';
import { Rng } from '../../engine/rng.js';
import { nodeData, writeFileAtomic } from '../../experiments/node-host.js';
import { CORPORA, isCorpusName, splitText } from '../../data/corpora.js';
import { GPT } from '../../gpt/model.js';
import { CharVocab } from '../../gpt/vocab.js';
import {
  GPT_CONFIG_NAMES,
  isGPTConfigName,
  parseTrainOverrides,
  resolveConfig,
  TRAIN_HYPER_KEYS,
  TRAIN_RECIPES,
  trainingMemoryEstimate,
  withTrainHyper,
  type GPTConfig,
  type TrainHyper,
} from '../../gpt/config.js';
import { GPTTrainer } from '../../gpt/train.js';
import { evalTokens } from '../../gpt/evaluate.js';
import { parseConfig } from '../../gpt/io.js';
import { setGradientProviderFactory } from '../../gpt/trained.js';
import { lossCurveSpec } from '../../gpt/charts.js';
import { CheckpointError, checkModelStep, loadCheckpoint, loadTrainingState, saveCheckpoint, type RunInfo } from '../../gpt/checkpoint.node.js';
import { renderSvg } from '../../report/svg.js';
import { positiveInt, seedArg } from '../args.js';

/** The wasm heap is 32-bit; leave room for the runtime. */
const MEMORY_LIMIT = 2 * 1024 ** 3;

/** A corpus name or path → its text (UsageError if missing or empty). */
export async function corpusText(corpus: string): Promise<string> {
  if (!isCorpusName(corpus) && !existsSync(corpus)) {
    throw new UsageError(`--corpus ${corpus}: not found; use one of ${Object.keys(CORPORA).join(', ')} or a path to a UTF-8 text file`);
  }
  let text: string;
  try {
    text = await nodeData.text(corpus);
  } catch (e) {
    throw new UsageError(`--corpus ${corpus}: ${(e as Error).message}`);
  }
  if (text.length === 0) throw new UsageError(`--corpus ${corpus}: the file is empty`);
  return text;
}

function configArg(s: string): GPTConfig {
  if (isGPTConfigName(s)) return resolveConfig(s);
  if (s.endsWith('.json') && existsSync(s)) {
    try {
      return parseConfig(JSON.parse(readFileSync(s, 'utf8')));
    } catch (e) {
      throw new UsageError(`--config ${s}: ${(e as Error).message}`);
    }
  }
  throw new UsageError(`--config ${s}: unknown config; use one of ${GPT_CONFIG_NAMES.join(', ')} or a config .json file`);
}

function fmtDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

interface TrainOpts {
  corpus?: string;
  config?: string;
  steps?: string;
  out?: string;
  resume?: string;
  seed: string;
  batchSize?: string;
  evalEvery?: string;
  evalChars: string;
  workers?: string;
  recipe?: string;
  set?: string[];
  json?: boolean;
}

/** --recipe NAME then --set key=value … over the config's training hyper-parameters (UsageError on bad input). */
export function applyHyperOptions(config: GPTConfig, recipe: string | undefined, sets: readonly string[]): GPTConfig {
  if (recipe === undefined && sets.length === 0) return config;
  let over: Partial<TrainHyper> = {};
  if (recipe !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(TRAIN_RECIPES, recipe)) throw new UsageError(`--recipe ${recipe}: unknown recipe; use one of ${Object.keys(TRAIN_RECIPES).join(', ')}`);
    over = { ...TRAIN_RECIPES[recipe as keyof typeof TRAIN_RECIPES] };
  }
  try {
    over = { ...over, ...parseTrainOverrides(sets) };
    return withTrainHyper(config, over);
  } catch (e) {
    throw new UsageError(`--set ${(e as Error).message}`);
  }
}

export function register(program: Command): void {
  // CLI runs of experiments that call trainedGPT (gpt.train, the lenses) train data-parallel too
  if (cpus().length > 1) {
    setGradientProviderFactory(async (model) => {
      const { createParallelGradients } = await import('../../gpt/parallel.node.js');
      return createParallelGradients(model, Math.min(2, cpus().length));
    });
  }
  program
    .command('train')
    .description('train the tiny GPT on a corpus; writes a safetensors checkpoint, config, vocab and loss-curve.svg')
    .option('--corpus <corpus>', `${Object.keys(CORPORA).join(' | ')} | PATH to a UTF-8 text`)
    .option('--config <config>', `${GPT_CONFIG_NAMES.join(' | ')} | CONFIG.json`)
    .option('--steps <n>', 'optimisation steps (default 2000)')
    .option('--out <dir>', 'checkpoint folder (default runs/train/<corpus>-<config>-<timestamp>; with --resume: the resumed folder)')
    .option('--resume <dir>', 'continue a checkpoint folder bit for bit')
    .option('--seed <n>', 'random seed', '1337')
    .option('--batch-size <n>', 'sequences per step (default: the config’s)')
    .option('--eval-every <k>', 'validate and checkpoint every k steps (default steps/20)')
    .option('--eval-chars <n>', 'held-out characters used by the periodic validation', '8192')
    .option('--workers <n>', `data-parallel worker threads (default ${Math.min(2, cpus().length)}; 1 = this thread only)`)
    .option('--recipe <name>', `training hyper-parameters of a named recipe instead of the config's (${Object.keys(TRAIN_RECIPES).join(' | ')}; nanogpt = nanoGPT's exact baby-GPT recipe)`)
    .option('--set <key=value>', `override a training hyper-parameter (repeatable; ${TRAIN_HYPER_KEYS.join(', ')}), e.g. --set lr=2e-3 --set warmupSteps=50`, (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'print only a JSON summary on stdout, no progress line')
    .action(async (opts: TrainOpts) => {
      await trainCommand(opts);
    });
}

async function trainCommand(opts: TrainOpts): Promise<void> {
  const json = opts.json === true;
  const log = (s: string) => {
    if (!json) process.stderr.write(s + '\n');
  };
  let seed = seedArg(opts.seed);
  let config: GPTConfig;
  let corpus: string;
  let steps: number;
  let resumeDir: string | undefined;
  let batchSize: number | undefined = opts.batchSize !== undefined ? positiveInt('--batch-size', opts.batchSize) : undefined;
  if (opts.resume) {
    resumeDir = path.resolve(opts.resume);
    const stateFile = path.join(resumeDir, 'state.json');
    if (!existsSync(stateFile)) throw new UsageError(`--resume ${opts.resume}: no state.json there (not a fivelens training checkpoint)`);
    let st: { run?: RunInfo };
    try {
      st = JSON.parse(readFileSync(stateFile, 'utf8')) as { run?: RunInfo };
    } catch {
      throw new RunError(`${stateFile}: not valid JSON (corrupt or truncated)`);
    }
    if (!st.run) throw new RunError(`${stateFile}: has no run information (cannot resume)`);
    corpus = opts.corpus ?? st.run.corpus;
    if (opts.corpus && opts.corpus !== st.run.corpus) throw new UsageError(`--corpus ${opts.corpus}: the checkpoint was trained on ${st.run.corpus}`);
    steps = opts.steps !== undefined ? positiveInt('--steps', opts.steps) : st.run.steps;
    seed = st.run.seed;
    batchSize = st.run.batchSize;
    if (opts.recipe !== undefined || (opts.set ?? []).length > 0) throw new UsageError('--recipe/--set: a resumed run keeps the hyper-parameters saved in its checkpoint');
    config = resolveConfig('nano'); // replaced below by the checkpoint's own config
  } else {
    if (!opts.corpus) throw new UsageError(`--corpus is required: one of ${Object.keys(CORPORA).join(', ')} or a path`);
    corpus = opts.corpus;
    config = applyHyperOptions(configArg(opts.config ?? 'baby'), opts.recipe, opts.set ?? []);
    steps = opts.steps !== undefined ? positiveInt('--steps', opts.steps) : 2000;
  }
  const evalEvery = opts.evalEvery !== undefined ? positiveInt('--eval-every', opts.evalEvery) : Math.max(1, Math.round(steps / 20));
  const evalChars = positiveInt('--eval-chars', opts.evalChars);
  const workers = opts.workers !== undefined ? positiveInt('--workers', opts.workers) : Math.min(2, cpus().length);

  const text = await corpusText(corpus);
  await initEngine();
  let model: GPT;
  let vocab: CharVocab;
  if (resumeDir) {
    try {
      ({ model, vocab, config } = await loadCheckpoint(resumeDir));
    } catch (e) {
      if (e instanceof CheckpointError) throw new RunError(e.message);
      throw e;
    }
    const unknown = vocab.unknown(text);
    if (unknown.length) throw new UsageError(`--corpus ${corpus}: ${unknown.length} characters are not in the checkpoint's vocabulary`);
  } else {
    vocab = CharVocab.fromText(text);
    const mem = trainingMemoryEstimate(config, vocab.size, batchSize ?? config.train.batchSize);
    if (mem > MEMORY_LIMIT) {
      throw new UsageError(`--config ${config.name}: training needs about ${(mem / 1024 ** 3).toFixed(1)} GiB, more than the ${MEMORY_LIMIT / 1024 ** 3} GiB wasm heap; use a smaller config or --batch-size`);
    }
    model = GPT.init(config, vocab.size, new Rng(seed).fork('gpt-init'));
  }
  const { train, val } = splitText(text);
  const T = config.blockSize;
  if (Array.from(train).length < T + 1) {
    model.dispose();
    throw new UsageError(`--corpus ${corpus}: ${Array.from(text).length} characters is too short; the 90% training split needs more than the context of ${T} (config ${config.name})`);
  }
  const trainTok = vocab.encode(train);
  const valTok = vocab.encode(val);
  if (valTok.length < 2) {
    model.dispose();
    throw new UsageError(`--corpus ${corpus}: the held-out 10% has fewer than 2 characters; use a longer text`);
  }
  const out = path.resolve(opts.out ?? resumeDir ?? path.join('runs', 'train', `${path.basename(corpus).replace(/\.[^.]*$/, '')}-${config.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  if (!resumeDir && existsSync(out) && readdirSync(out).length > 0) {
    model.dispose();
    throw new UsageError(`--out ${opts.out}: folder exists and is not empty; choose a new folder (or --resume it)`);
  }

  // gradients: worker threads when asked for more than one
  const bs = batchSize ?? config.train.batchSize;
  let par: { gradients: import('../../gpt/train.js').GradientProvider; close(): Promise<void> } | undefined;
  if (workers > 1) {
    const { createParallelGradients } = await import('../../gpt/parallel.node.js');
    par = await createParallelGradients(model, workers);
  }
  const trainer = new GPTTrainer(model, trainTok, {
    steps,
    seed: new Rng(seed).fork('gpt-train').nextUint32(),
    hyper: { batchSize: bs },
    ...(par ? { gradients: par.gradients } : {}),
  });
  const run: RunInfo = { corpus, seed, steps, batchSize: bs };
  if (resumeDir) {
    try {
      const st = await loadTrainingState(resumeDir, trainer);
      await checkModelStep(resumeDir, st.step);
    } catch (e) {
      trainer.dispose();
      await par?.close();
      if (e instanceof CheckpointError) throw new RunError(e.message);
      throw e;
    }
    if (trainer.step >= steps) {
      trainer.dispose();
      await par?.close();
      throw new UsageError(`--resume ${opts.resume}: already at step ${trainer.step} of ${steps}; pass a larger --steps to continue`);
    }
    log(`resuming ${out} at step ${trainer.step}/${steps}`);
  }
  const evalSlice = valTok.subarray(0, Math.min(valTok.length, evalChars + 1));
  const tty = !json && process.stderr.isTTY === true;
  log(`training ${config.name} (${model.numParams.toLocaleString('en')} parameters, V=${vocab.size}) on ${corpus}: ${steps} steps × ${bs}×${T} tokens, ${par ? `${workers} worker threads` : 'one thread'} → ${out}`);

  const h = trainer.hyper;
  log(`  AdamW lr ${h.lr} → ${h.minLr} cosine, warmup ${h.warmupSteps}, β ${h.beta1}/${h.beta2}, ε ${h.eps}, weight decay ${h.weightDecay}, clip ${h.gradClip}, seed ${seed}`);

  let stop = false;
  const onSig = () => {
    stop = true;
  };
  process.once('SIGINT', onSig);
  const save = async () => {
    await saveCheckpoint(out, model, vocab, trainer, run);
    const spec = lossCurveSpec(trainer.history, { title: `${config.name} on ${corpus}`, reference: corpus === 'shakespeare' && config.name === 'baby' ? undefined : null });
    await writeFileAtomic(path.join(out, 'loss-curve.svg'), await renderSvg(spec));
  };
  const t0 = performance.now();
  const startStep = trainer.step;
  let lastLine = 0;
  try {
    while (trainer.step < steps && !stop) {
      const info = await trainer.trainStep();
      const done = trainer.step - startStep;
      const rate = (done * bs * T) / ((performance.now() - t0) / 1000);
      const eta = ((steps - trainer.step) * bs * T) / rate;
      if (trainer.step % evalEvery === 0 || trainer.step === steps) {
        const r = evalTokens(model, evalSlice);
        trainer.history.val.push({ step: trainer.step, loss: r.nats, bpc: r.bpc });
        if (tty) process.stderr.write('\r\x1b[K');
        log(`step ${trainer.step}/${steps}  train loss ${info.loss.toFixed(4)}  val loss ${r.nats.toFixed(4)} (${r.bpc.toFixed(3)} bpc)  ${Math.round(rate).toLocaleString('en')} tok/s`);
        await save();
      }
      if (tty && performance.now() - lastLine > 250) {
        lastLine = performance.now();
        process.stderr.write(`\r\x1b[Kstep ${trainer.step}/${steps}  loss ${info.loss.toFixed(4)}  ${Math.round(rate).toLocaleString('en')} tok/s  ETA ${fmtDuration(eta)}`);
      }
      await new Promise((r) => setImmediate(r));
    }
  } catch (e) {
    if (tty) process.stderr.write('\n');
    throw new RunError(`training failed at step ${trainer.step}: ${(e as Error).message}`);
  } finally {
    process.removeListener('SIGINT', onSig);
    await par?.close();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (stop) {
    await save();
    trainer.dispose();
    throw new RunError(`interrupted at step ${trainer.step}/${steps}; checkpoint saved, continue with: fivelens train --resume ${path.relative(process.cwd(), out) || out}`);
  }
  log('evaluating on the whole held-out 10% …');
  const final = evalTokens(model, valTok);
  const tokensPerSec = ((trainer.step - startStep) * bs * T) / ((performance.now() - t0) / 1000);
  const summary = {
    out,
    corpus,
    config: config.name,
    steps: trainer.step,
    params: model.numParams,
    vocab: vocab.size,
    trainLoss: trainer.history.loss.slice(-Math.max(1, Math.round(steps / 20))).reduce((a, b) => a + b, 0) / Math.max(1, Math.min(trainer.history.loss.length, Math.round(steps / 20))),
    valLoss: final.nats,
    valBpc: final.bpc,
    valPerplexity: final.perplexity,
    valChars: final.chars,
    tokensPerSec,
    workers: par ? workers : 1,
    val: trainer.history.val,
  };
  await writeFileAtomic(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  trainer.dispose();
  model.dispose();
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(`val loss ${final.nats.toFixed(4)} nats = ${final.bpc.toFixed(3)} bpc (perplexity ${final.perplexity.toFixed(2)}) on ${final.chars.toLocaleString('en')} held-out characters\n`);
    process.stdout.write(`written to ${path.relative(process.cwd(), out) || out}\n`);
  }
}
