/**
 * `fivelens train --corpus shakespeare|tang|song|PATH --config nano|baby|small|CONFIG.json
 *   [--steps N] [--out DIR] [--resume DIR] [--seed S] [--batch-size B] [--eval-every K] [--workers W]
 *   [--recipe nanogpt] [--set key=value …] [--json]`
 *
 * Trains the tiny GPT with a live progress line (step, train loss, tokens/s, ETA), validation in
 * bits per character every K steps, a checkpoint (safetensors + config + vocab + optimizer/rng state)
 * at every validation and at the end, and the loss curves as loss-curve.svg. Ctrl-C (or SIGTERM)
 * saves a checkpoint at the current step and exits 130 (143); `--resume DIR` continues from it bit
 * for bit. A non-finite loss stops the run naming the step; the last (finite) checkpoint stays.
 * The weights are those of trainedGPT and the lab for the same seed and config (src/gpt/train.ts).
 */
import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { RunError, UsageError } from '../errors.js';
import { initEngine } from '../../engine/tf.js';
import { nodeData, writeFileAtomic } from '../../experiments/node-host.js';
import { CORPORA, isCorpusName } from '../../data/corpora.js';
import type { GPT } from '../../gpt/model.js';
import type { CharVocab } from '../../gpt/vocab.js';
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
import { initRun, makeTrainer, trainLoop, type GPTTrainer } from '../../gpt/train.js';
import { evalTokens } from '../../gpt/evaluate.js';
import { parseConfig } from '../../gpt/io.js';
import { lossCurveSpec } from '../../gpt/charts.js';
import { CheckpointError, checkModelStep, loadCheckpoint, loadTrainingState, saveCheckpoint, type RunInfo } from '../../gpt/checkpoint.node.js';
import { renderSvg } from '../../report/svg.js';
import { nonFiniteParam, positiveInt, seedArg } from '../args.js';
import { checkOutFolder } from '../dest.js';
import { interrupt, InterruptedError, setGrace } from '../interrupt.js';

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
  program
    .command('train')
    .description('train the tiny GPT on a corpus; writes a safetensors checkpoint, config, vocab and loss-curve.svg')
    .option('--corpus <corpus>', `required (unless --resume): ${Object.keys(CORPORA).join(' | ')} | PATH to a UTF-8 text`)
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

/** Everything a run needs, decided and checked before any work starts. */
interface Plan {
  seed: number;
  corpus: string;
  text: string;
  steps: number;
  batchSize: number | undefined;
  resumeDir: string | undefined;
  config: GPTConfig;
  evalEvery: number;
  evalChars: number;
  workers: number;
  out: string;
}

/** state.json's run record, or one line saying what is wrong with it. */
function readRunInfo(opt: string, dir: string): RunInfo {
  const stateFile = path.join(dir, 'state.json');
  if (!existsSync(stateFile)) throw new UsageError(`--resume ${opt}: no state.json there (not a fivelens training checkpoint)`);
  let st: unknown;
  try {
    st = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    throw new RunError(`${stateFile}: not valid JSON (corrupt or truncated); cannot resume`);
  }
  const run = (st as { run?: Partial<RunInfo> } | null)?.run;
  const ok = run && typeof run.corpus === 'string' && [run.seed, run.steps, run.batchSize].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
  if (!ok) throw new RunError(`${stateFile}: damaged (no valid run record: corpus, seed, steps, batchSize); cannot resume`);
  return run as RunInfo;
}

async function planRun(opts: TrainOpts): Promise<Plan> {
  let seed = seedArg(opts.seed);
  let batchSize = opts.batchSize !== undefined ? positiveInt('--batch-size', opts.batchSize) : undefined;
  let config: GPTConfig;
  let corpus: string;
  let steps: number;
  let resumeDir: string | undefined;
  if (opts.resume) {
    resumeDir = path.resolve(opts.resume);
    const run = readRunInfo(opts.resume, resumeDir);
    if (opts.corpus && opts.corpus !== run.corpus) throw new UsageError(`--corpus ${opts.corpus}: the checkpoint was trained on ${run.corpus}`);
    if (opts.recipe !== undefined || (opts.set ?? []).length > 0) throw new UsageError('--recipe/--set: a resumed run keeps the hyper-parameters saved in its checkpoint');
    corpus = run.corpus;
    steps = opts.steps !== undefined ? positiveInt('--steps', opts.steps) : run.steps;
    seed = run.seed;
    batchSize = run.batchSize;
    config = resolveConfig('nano'); // replaced by the checkpoint's own config when it is loaded
  } else {
    if (!opts.corpus) throw new UsageError(`--corpus is required: one of ${Object.keys(CORPORA).join(', ')} or a path`);
    corpus = opts.corpus;
    config = applyHyperOptions(configArg(opts.config ?? 'baby'), opts.recipe, opts.set ?? []);
    steps = opts.steps !== undefined ? positiveInt('--steps', opts.steps) : 2000;
  }
  const evalEvery = opts.evalEvery !== undefined ? positiveInt('--eval-every', opts.evalEvery) : Math.max(1, Math.round(steps / 20));
  const evalChars = positiveInt('--eval-chars', opts.evalChars);
  const asked = opts.workers !== undefined ? positiveInt('--workers', opts.workers) : Math.min(2, cpus().length);
  // a batch of B sequences splits into at most B parts
  const workers = Math.min(asked, batchSize ?? config.train.batchSize);
  const text = await corpusText(corpus);
  const out = resumeDir
    ? checkOutFolder('--resume', opts.resume!, 16 << 20, true)
    : checkOutFolder('--out', opts.out ?? path.join('runs', 'train', `${path.basename(corpus).replace(/\.[^.]*$/, '')}-${config.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`), 16 << 20);
  return { seed, corpus, text, steps, batchSize, resumeDir, config, evalEvery, evalChars, workers, out };
}

async function trainCommand(opts: TrainOpts): Promise<void> {
  const json = opts.json === true;
  const log = (s: string) => {
    if (!json) process.stderr.write(s + '\n');
  };
  const plan = await planRun(opts);
  if (opts.workers !== undefined && plan.workers < Number(opts.workers)) log(`using ${plan.workers} worker${plan.workers > 1 ? 's' : ''}: a batch of ${plan.workers} sequences splits into at most ${plan.workers} parts`);
  await initEngine();
  const { model, vocab, config, trainTok, valTok } = await buildModel(plan);
  const bs = plan.batchSize ?? config.train.batchSize;
  const par = plan.workers > 1 ? await (await import('../../gpt/parallel.node.js')).createParallelGradients(model, plan.workers) : undefined;
  const trainer = makeTrainer(model, trainTok, plan.seed, { steps: plan.steps, hyper: { batchSize: bs }, ...(par ? { gradients: par.gradients } : {}) });
  try {
    if (plan.resumeDir) await resumeState(plan, trainer, opts.resume!, log);
    log(`training ${config.name} (${model.numParams.toLocaleString('en')} parameters, V=${vocab.size}) on ${plan.corpus}: ${plan.steps} steps × ${bs}×${config.blockSize} tokens, ${par ? `${plan.workers} worker threads` : 'one thread'} → ${plan.out}`);
    const h = trainer.hyper;
    log(`  AdamW lr ${h.lr} → ${h.minLr} cosine, warmup ${h.warmupSteps}, β ${h.beta1}/${h.beta2}, ε ${h.eps}, weight decay ${h.weightDecay}, clip ${h.gradClip}, seed ${plan.seed}`);
    await runLoop(plan, { model, vocab, trainer, valTok, bs }, json);
  } catch (e) {
    trainer.dispose();
    model.dispose();
    throw e;
  } finally {
    await par?.close();
  }
  await finish(plan, { model, vocab, trainer, valTok, bs }, json, par ? plan.workers : 1);
}

/** The model to train: the checkpoint's (--resume) or a new one from the seed; the text as tokens. */
async function buildModel(plan: Plan): Promise<{ model: GPT; vocab: CharVocab; config: GPTConfig; trainTok: Int32Array; valTok: Int32Array }> {
  let model: GPT;
  let vocab: CharVocab;
  let config = plan.config;
  let trainTok: Int32Array;
  let valTok: Int32Array;
  if (plan.resumeDir) {
    try {
      ({ model, vocab, config } = await loadCheckpoint(plan.resumeDir));
    } catch (e) {
      if (e instanceof CheckpointError) throw new RunError(e.message);
      throw e;
    }
    const unknown = vocab.unknown(plan.text);
    if (unknown.length) throw new UsageError(`--corpus ${plan.corpus}: ${unknown.length} characters are not in the checkpoint's vocabulary`);
    const { splitText } = await import('../../data/corpora.js');
    const { train, val } = splitText(plan.text);
    [trainTok, valTok] = [vocab.encode(train), vocab.encode(val)];
  } else {
    const { CharVocab } = await import('../../gpt/vocab.js');
    const mem = trainingMemoryEstimate(config, CharVocab.fromText(plan.text).size, plan.batchSize ?? config.train.batchSize);
    if (mem > MEMORY_LIMIT) throw new UsageError(`--config ${config.name}: training needs about ${(mem / 1024 ** 3).toFixed(1)} GiB, more than the ${MEMORY_LIMIT / 1024 ** 3} GiB wasm heap; use a smaller config or --batch-size`);
    ({ model, vocab, train: trainTok, val: valTok } = initRun(plan.text, config, plan.seed));
  }
  const T = config.blockSize;
  const fail = trainTok.length < T + 1 ? `${Array.from(plan.text).length} characters is too short; the 90% training split needs more than the context of ${T} (config ${config.name})` : valTok.length < 2 ? 'the held-out 10% has fewer than 2 characters; use a longer text' : undefined;
  if (fail) {
    model.dispose();
    throw new UsageError(`--corpus ${plan.corpus}: ${fail}`);
  }
  return { model, vocab, config, trainTok, valTok };
}

async function resumeState(plan: Plan, trainer: GPTTrainer, opt: string, log: (s: string) => void): Promise<void> {
  try {
    const st = await loadTrainingState(plan.resumeDir!, trainer);
    await checkModelStep(plan.resumeDir!, st.step);
  } catch (e) {
    if (e instanceof CheckpointError) throw new RunError(e.message);
    throw e;
  }
  if (trainer.step >= plan.steps) throw new UsageError(`--resume ${opt}: already at step ${trainer.step} of ${plan.steps}; pass a larger --steps to continue`);
  log(`resuming ${plan.out} at step ${trainer.step}/${plan.steps}`);
}

interface Live {
  model: GPT;
  vocab: CharVocab;
  trainer: GPTTrainer;
  valTok: Int32Array;
  bs: number;
}

/** Checkpoint (only finite weights are ever saved) and the loss-curve figure. */
async function save(plan: Plan, l: Live): Promise<void> {
  const bad = nonFiniteParam(l.model.params);
  if (bad) throw new RunError(`training diverged before step ${l.trainer.step}: weight ${bad} is not finite; the last finite checkpoint in ${plan.out} is kept`);
  const run: RunInfo = { corpus: plan.corpus, seed: plan.seed, steps: plan.steps, batchSize: l.bs };
  await saveCheckpoint(plan.out, l.model, l.vocab, l.trainer, run);
  const spec = lossCurveSpec(l.trainer.history, { title: `${l.model.config.name} on ${plan.corpus}`, reference: plan.corpus === 'shakespeare' && l.model.config.name === 'baby' ? undefined : null });
  await writeFileAtomic(path.join(plan.out, 'loss-curve.svg'), await renderSvg(spec));
}

async function runLoop(plan: Plan, l: Live, json: boolean): Promise<void> {
  const { trainer, bs } = l;
  const T = l.model.config.blockSize;
  const tty = !json && process.stderr.isTTY === true;
  const log = (s: string) => !json && process.stderr.write(s + '\n');
  setGrace(30_000); // after Ctrl-C: finish the step in flight and save the checkpoint whole (a torn save could not be resumed)
  const t0 = performance.now();
  const startStep = trainer.step;
  let lastLine = 0;
  let lastSaved: number | undefined;
  let rate = 0;
  let done: boolean;
  try {
    done = await trainLoop(trainer, {
      steps: plan.steps,
      evalEvery: plan.evalEvery,
      evalTokens: l.valTok.subarray(0, Math.min(l.valTok.length, plan.evalChars + 1)),
      stop: () => interrupt.signal.aborted,
      onStep: (info) => {
        rate = ((trainer.step - startStep) * bs * T) / ((performance.now() - t0) / 1000);
        if (tty && performance.now() - lastLine > 250) {
          lastLine = performance.now();
          process.stderr.write(`\r\x1b[Kstep ${trainer.step}/${plan.steps}  loss ${info.loss.toFixed(4)}  ${Math.round(rate).toLocaleString('en')} tok/s  ETA ${fmtDuration(((plan.steps - trainer.step) * bs * T) / rate)}`);
        }
      },
      onEval: async (r, info) => {
        if (tty) process.stderr.write('\r\x1b[K');
        log(`step ${trainer.step}/${plan.steps}  train loss ${info.loss.toFixed(4)}  val loss ${r.loss.toFixed(4)} (${r.bpc.toFixed(3)} bpc)  ${Math.round(rate).toLocaleString('en')} tok/s`);
        await save(plan, l);
        lastSaved = trainer.step;
      },
    });
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunError) throw e;
    const kept = lastSaved !== undefined ? `the last finite checkpoint (step ${lastSaved}) is kept in ${plan.out}` : 'no checkpoint was written';
    throw new RunError(`training failed at step ${trainer.step + 1}: ${(e as Error).message}; ${kept}`);
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (!done) {
    await save(plan, l);
    throw new InterruptedError(`interrupted at step ${trainer.step}/${plan.steps}; checkpoint saved, continue with: fivelens train --resume ${path.relative(process.cwd(), plan.out) || plan.out}`);
  }
}

async function finish(plan: Plan, l: Live, json: boolean, workers: number): Promise<void> {
  const { model, trainer } = l;
  const steps = plan.steps;
  if (!json) process.stderr.write('evaluating on the whole held-out 10% …\n');
  const final = evalTokens(model, l.valTok);
  const k = Math.max(1, Math.round(steps / 20));
  const summary = {
    out: plan.out,
    corpus: plan.corpus,
    config: model.config.name,
    steps: trainer.step,
    params: model.numParams,
    vocab: l.vocab.size,
    trainLoss: trainer.history.loss.slice(-k).reduce((a, b) => a + b, 0) / Math.max(1, Math.min(trainer.history.loss.length, k)),
    valLoss: final.nats,
    valBpc: final.bpc,
    valPerplexity: final.perplexity,
    valChars: final.chars,
    tokensPerSec: (trainer.history.loss.length * l.bs * model.config.blockSize * 1000) / Math.max(1, trainer.history.trainMs),
    workers,
    val: trainer.history.val,
  };
  await writeFileAtomic(path.join(plan.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  trainer.dispose();
  model.dispose();
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(`val loss ${final.nats.toFixed(4)} nats = ${final.bpc.toFixed(3)} bpc (perplexity ${final.perplexity.toFixed(2)}) on ${final.chars.toLocaleString('en')} held-out characters\n`);
    process.stdout.write(`written to ${path.relative(process.cwd(), plan.out) || plan.out}\n`);
  }
}
