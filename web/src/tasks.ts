/**
 * Worker tasks that are not registry experiments: the GPT page's live training (loss curve,
 * held-out bpc, samples as it learns), attention maps, and scoring a pasted text with the model
 * (its ideal code length beside gzip). Built on src/gpt.
 */
import { tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { throwIfAborted, tick } from '../../src/experiments/contract.js';
import { splitText, isCorpusName } from '../../src/data/corpora.js';
import { GPT, GPTTrainer, CharVocab, evalText, isGPTConfigName, parameterCount, resolveConfig } from '../../src/gpt/index.js';
import { serializeModel } from '../../src/gpt/io.js';
import { zipBytes, unzipBytes } from '../../src/lenses/compression/codec.js';
import { gptModel, onlineModel } from '../../src/lenses/compression/zipmodels.js';
import { browserData, browserPlatform } from './host.js';

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

/** The model trained last in this worker (for attention and scoring). */
let current: { model: GPT; vocab: CharVocab; corpus: string; config: string; steps: number; valText: string } | undefined;

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

async function train(args: TrainArgs, ctx: TaskContext): Promise<unknown> {
  if (!isCorpusName(args.corpus)) throw new Error(`unknown corpus ${args.corpus}`);
  if (!isGPTConfigName(args.config)) throw new Error(`unknown GPT config ${args.config}`);
  const text = await browserData(ctx.baseUrl).text(args.corpus);
  const { train: trainText, val: valText } = splitText(text, 0.9);
  const vocab = CharVocab.fromText(trainText);
  const cfg = resolveConfig(args.config);
  const rng = new Rng(args.seed);
  current?.model.dispose();
  current = undefined;
  const model = GPT.init(cfg, vocab.size, rng.fork('init'));
  const trainer = new GPTTrainer(model, vocab.encode(trainText), { steps: args.steps, seed: args.seed });
  const sampleRng = rng.fork('samples');
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
  let pending: { step: number; loss: number; lr: number }[] = [];
  let lastEmit = 0;
  let tps = 0;
  try {
    for (let s = 0; s < args.steps; s++) {
      throwIfAborted(ctx.signal);
      const info = await trainer.trainStep();
      tps = info.tokensPerSec;
      pending.push({ step: info.step, loss: info.loss, lr: info.lr });
      const now = performance.now();
      const last = info.step === args.steps;
      if (now - lastEmit > 150 || last) {
        ctx.emit({ type: 'steps', points: pending, tokensPerSec: tps } satisfies TrainEvent);
        pending = [];
        lastEmit = now;
      }
      if (info.step % args.evalEvery === 0 || last) {
        const val = evalText(model, vocab, valText, { maxChars: evalChars, oov: 'replace' }).bpc;
        const tr = evalText(model, vocab, trainText.slice(0, evalChars + 1), { maxChars: evalChars }).bpc;
        ctx.emit({ type: 'val', step: info.step, bpc: val, trainBpc: tr } satisfies TrainEvent);
      }
      if (info.step % args.sampleEvery === 0 || last) {
        ctx.emit({ type: 'sample', step: info.step, text: sample(model, vocab, prompt || trainText.slice(0, 1), 160, sampleRng) } satisfies TrainEvent);
      }
      await tick();
    }
  } finally {
    trainer.dispose?.();
  }
  current = { model, vocab, corpus: args.corpus, config: cfg.name, steps: args.steps, valText };
  ctx.emit({ type: 'attention', ...attentionOf(model, vocab, valText.slice(0, 200)) } satisfies TrainEvent);
  return { done: true };
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
      return current ? { corpus: current.corpus, config: current.config, steps: current.steps } : null;
    default:
      throw new Error(`task ${task} is not available in this build`);
  }
}
