/**
 * Worker tasks that are not registry experiments: the GPT page's live training (loss curve,
 * held-out bpc, samples as it learns), attention maps, sampling, and scoring a pasted text with the
 * model (its ideal code length beside gzip). Built on src/gpt.
 *
 * A finished training is saved to IndexedDB (`models`, one per corpus × model size, as the
 * safetensors bytes of serializeModel) and `gpt-load` brings it back after a reload, so the model
 * in the worker is always the one for the page's corpus and size, trained here or loaded.
 */
import { tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { throwIfAborted, tick } from '../../src/experiments/contract.js';
import { splitText, isCorpusName } from '../../src/data/corpora.js';
import { GPT, CharVocab, evalText, evalTokens, isGPTConfigName, parameterCount, resolveConfig } from '../../src/gpt/index.js';
import { initRun, makeTrainer, trainLoop } from '../../src/gpt/train.js';
import { deserializeModel, serializeModel } from '../../src/gpt/io.js';
import { zipBytes, unzipBytes } from '../../src/zip/codec.js';
import { gptModel, onlineModel } from '../../src/zip/zipmodels.js';
import { browserData, browserPlatform } from './host.js';
import { forgetModel, loadModel, modelKey, saveModel, type StoredModel } from './db.js';

export interface TaskContext {
  signal: AbortSignal;
  baseUrl: string;
  emit(event: unknown): void;
}

export interface TrainArgs {
  corpus: string;
  config: string;
  steps: number;
  seed: number;
  evalEvery: number;
  sampleEvery: number;
  prompt?: string;
}

export type TrainEvent =
  | { type: 'start'; params: number; vocab: number; trainChars: number; valChars: number; config: string; backend: string }
  | { type: 'steps'; points: { step: number; loss: number; lr: number }[]; tokensPerSec: number }
  | { type: 'val'; step: number; bpc: number; trainBpc: number }
  | { type: 'sample'; step: number; text: string }
  | { type: 'attention'; tokens: string[]; layers: number[][][][] };

/** What the page is told about the model in the worker. */
export interface ModelInfo extends Omit<StoredModel, 'bytes'> {
  /** 'trained': trained in this worker; 'loaded': read back from IndexedDB */
  source: 'trained' | 'loaded';
  /** set when the model could not be saved (e.g. storage quota) */
  saveError?: string;
}

/** What `gpt-load` answers: the model now in use, with its attention maps and a fresh sample. */
export interface LoadResult {
  info: ModelInfo;
  attention: { tokens: string[]; layers: number[][][][] };
  sample: string;
}

/** The model in this worker (for attention, sampling and scoring). */
let current: { model: GPT; vocab: CharVocab; info: ModelInfo; valText: string; prompt: string } | undefined;

/** Samples after training: from the model's seed, a new stream each time (the n-th sample is reproducible). */
let samplesDrawn = 0;
const sampleRng = (seed: number) => new Rng(seed).fork(`page-sample-${++samplesDrawn}`);

function dropCurrent(): void {
  current?.model.dispose();
  current = undefined;
}

function keyOf(corpus: string, config: string): string {
  if (!isCorpusName(corpus)) throw new Error(`unknown corpus ${corpus}`);
  if (!isGPTConfigName(config)) throw new Error(`unknown GPT config ${config}`);
  return modelKey(corpus, resolveConfig(config) as unknown as Record<string, unknown>);
}

const promptFor = (corpus: string, trainText: string) => (corpus === 'shakespeare' ? 'ROMEO:\n' : trainText.slice(0, 1));

function sample(model: GPT, vocab: CharVocab, prompt: string, n: number, rng: Rng): string {
  const p = vocab.encode(prompt, 'replace');
  const out = model.generate(p.length ? p : [0], n, rng, { temperature: 0.8 });
  return prompt + vocab.decode(out);
}

function attentionOf(model: GPT, vocab: CharVocab, text: string): { tokens: string[]; layers: number[][][][] } {
  const T = Math.min(model.config.blockSize, 40);
  const chars = Array.from(text).slice(0, T);
  const ids = vocab.encode(chars.join(''), 'replace');
  const layers = tf.tidy(() => {
    const idx = tf.tensor2d(ids, [1, ids.length], 'int32');
    const { attention } = model.forward(idx, { returnAttention: true });
    return (attention ?? []).map((a) => (a.arraySync() as number[][][][])[0]!);
  });
  return { tokens: chars, layers };
}

/** set while a training runs: loading a model then would race with it */
let training = false;

async function train(args: TrainArgs, ctx: TaskContext): Promise<unknown> {
  if (training) throw new Error('a training is already running');
  training = true;
  try {
    return await trainNow(args, ctx);
  } finally {
    training = false;
  }
}

async function trainNow(args: TrainArgs, ctx: TaskContext): Promise<unknown> {
  if (!isCorpusName(args.corpus)) throw new Error(`unknown corpus ${args.corpus}`);
  if (!isGPTConfigName(args.config)) throw new Error(`unknown GPT config ${args.config}`);
  const text = await browserData(ctx.baseUrl).text(args.corpus);
  const { train: trainText, val: valText } = splitText(text, 0.9);
  const cfg = resolveConfig(args.config);
  const key = keyOf(args.corpus, args.config);
  dropCurrent();
  // the one training run of src/gpt/train.ts: the same seed and config give the CLI's and the cached model
  const { vocab, model, train: trainTok, val: valTok } = initRun(text, cfg, args.seed);
  const trainer = makeTrainer(model, trainTok, args.seed, { steps: args.steps });
  const sampleRng = new Rng(args.seed).fork('samples');
  const prompt = args.prompt ?? (args.corpus === 'shakespeare' ? 'ROMEO:\n' : '');
  ctx.emit({
    type: 'start',
    params: parameterCount(cfg, vocab.size),
    vocab: vocab.size,
    trainChars: trainText.length,
    valChars: valText.length,
    config: cfg.name,
    backend: tf.getBackend(),
  } satisfies TrainEvent);
  const evalChars = 4000;
  const trainSlice = trainTok.subarray(0, evalChars + 1);
  let pending: { step: number; loss: number; lr: number }[] = [];
  let lastEmit = 0;
  let lastVal: number | undefined;
  try {
    await trainLoop(trainer, {
      steps: args.steps,
      evalEvery: args.evalEvery,
      evalTokens: valTok.subarray(0, evalChars + 1),
      stop: () => (throwIfAborted(ctx.signal), false),
      onStep: (info) => {
        pending.push({ step: info.step, loss: info.loss, lr: info.lr });
        const now = performance.now();
        const last = info.step === args.steps;
        if (now - lastEmit > 150 || last) {
          ctx.emit({ type: 'steps', points: pending, tokensPerSec: info.tokensPerSec } satisfies TrainEvent);
          pending = [];
          lastEmit = now;
        }
        if (info.step % args.sampleEvery === 0 || last) {
          ctx.emit({ type: 'sample', step: info.step, text: sample(model, vocab, prompt || trainText.slice(0, 1), 160, sampleRng) } satisfies TrainEvent);
        }
      },
      onEval: (r) => {
        lastVal = r.bpc;
        ctx.emit({ type: 'val', step: r.step, bpc: r.bpc, trainBpc: evalTokens(model, trainSlice).bpc } satisfies TrainEvent);
      },
    });
  } finally {
    trainer.dispose();
  }
  const info: ModelInfo = {
    key,
    corpus: args.corpus,
    config: cfg.name,
    steps: args.steps,
    seed: args.seed,
    trainedAt: new Date().toISOString(),
    ...(lastVal !== undefined ? { valBpc: lastVal } : {}),
    parameters: parameterCount(cfg, vocab.size),
    source: 'trained',
  };
  current = { model, vocab, info, valText, prompt: promptFor(args.corpus, trainText) };
  ctx.emit({ type: 'attention', ...attentionOf(model, vocab, valText.slice(0, 200)) } satisfies TrainEvent);
  // keep it across a reload: the weights as safetensors (config and vocabulary in its metadata)
  try {
    const { source: _source, saveError: _e, ...meta } = info;
    await saveModel({ ...meta, bytes: serializeModel(model, vocab, { corpus: args.corpus, steps: args.steps, seed: args.seed }) });
  } catch (err) {
    info.saveError = (err as Error)?.message ?? String(err);
  }
  return { done: true, model: info };
}

/**
 * Make the model in the worker the one for this corpus and size: keep it if it already is, else
 * load the saved one; if none is saved, the worker holds no model (never one of another choice).
 */
async function load(args: { corpus: string; config: string }, ctx: TaskContext): Promise<LoadResult | null> {
  const key = keyOf(args.corpus, args.config);
  if (training) throw new Error('a training is running; its model replaces the one in use when it ends');
  if (!current || current.info.key !== key) {
    const saved = await loadModel(key);
    const text = saved ? await browserData(ctx.baseUrl).text(args.corpus) : '';
    throwIfAborted(ctx.signal);
    // from here on no await: nothing can start a training between the check and the swap
    if (training) throw new Error('a training is running; its model replaces the one in use when it ends');
    dropCurrent();
    if (!saved) return null;
    const { model, vocab } = deserializeModel(saved.bytes);
    const { train: trainText, val: valText } = splitText(text, 0.9);
    const { bytes: _bytes, ...meta } = saved;
    current = { model, vocab, info: { ...meta, source: 'loaded' }, valText, prompt: promptFor(args.corpus, trainText) };
  }
  const c = current;
  return {
    info: c.info,
    attention: attentionOf(c.model, c.vocab, c.valText.slice(0, 200)),
    sample: sample(c.model, c.vocab, c.prompt, 160, sampleRng(c.info.seed)),
  };
}

export interface ScoreResult {
  chars: number;
  utf8Bytes: number;
  bpc: number;
  modelBytes: number;
  gzipBytes?: number;
  oov: number;
  /** bits of surprise per character (first 2000) */
  surprisal: { ch: string; bits: number }[];
  /** the real `fivelens zip` codec (range coder + context mixing), if it ran */
  zip?: { gptBytes: number; onlineBytes: number; roundTrip: boolean; checkpointBytes: number; ms: number };
  zipError?: string;
}

async function score(args: { text: string }, ctx: TaskContext): Promise<ScoreResult> {
  if (!current) throw new Error('train the model first');
  const { model, vocab } = current;
  const text = args.text;
  const chars = Array.from(text);
  if (chars.length < 2) throw new Error('paste at least two characters');
  const oov = chars.filter((c) => !vocab.has(c)).length;
  const utf8 = new TextEncoder().encode(text);
  const ids = vocab.encode(text, 'replace');
  // lp[t] = ln p(token t | the tokens before it); the first one gets the uniform −ln V
  const lp = model.logProbs(ids);
  throwIfAborted(ctx.signal);
  const bitsOf = (i: number) => -lp[i]! / Math.LN2;
  let total = 0;
  const surprisal: { ch: string; bits: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    const b = bitsOf(i);
    total += b;
    if (i < 2000) surprisal.push({ ch: chars[i]!, bits: b });
  }
  const gzipBytes = await browserPlatform.compressedSize!('gzip', utf8);
  const out: ScoreResult = { chars: ids.length, utf8Bytes: utf8.length, bpc: total / ids.length, modelBytes: Math.ceil(total / 8) + 2, gzipBytes, oov, surprisal };
  // the real codec of `fivelens zip`: the GPT (float64, deterministic) mixed into a context mixer,
  // range-coded into a container; decoded again to prove the round trip
  try {
    if (utf8.length > 20000) throw new Error('text longer than 20,000 bytes: only the ideal length is computed');
    const t0 = performance.now();
    const checkpoint = serializeModel(model, vocab);
    const zm = gptModel(checkpoint);
    const file = zipBytes(utf8, zm);
    await tick();
    throwIfAborted(ctx.signal);
    const back = unzipBytes(file, zm);
    const online = zipBytes(utf8, onlineModel());
    const roundTrip = back.length === utf8.length && back.every((b, i) => b === utf8[i]);
    out.zip = { gptBytes: file.length, onlineBytes: online.length, roundTrip, checkpointBytes: checkpoint.length, ms: performance.now() - t0 };
  } catch (err) {
    out.zipError = (err as Error).message;
  }
  return out;
}

export async function runTask(task: string, args: unknown, ctx: TaskContext): Promise<unknown> {
  switch (task) {
    case 'gpt-train':
      return train(args as TrainArgs, ctx);
    case 'gpt-score':
      return score(args as { text: string }, ctx);
    case 'gpt-status':
      return current ? current.info : null;
    case 'gpt-load':
      return load(args as { corpus: string; config: string }, ctx);
    case 'gpt-sample': {
      if (!current) throw new Error('train the model first');
      const a = args as { prompt?: string; chars?: number; seed?: number };
      const n = Math.max(1, Math.min(1000, a.chars ?? 240));
      const rng = a.seed !== undefined ? new Rng(a.seed) : sampleRng(current.info.seed);
      return { text: sample(current.model, current.vocab, a.prompt || current.prompt, n, rng), info: current.info };
    }
    case 'gpt-forget': {
      const a = args as { corpus: string; config: string };
      const key = keyOf(a.corpus, a.config);
      await forgetModel(key);
      if (current?.info.key === key) dropCurrent();
      return null;
    }
    default:
      throw new Error(`task ${task} is not available in this build`);
  }
}
