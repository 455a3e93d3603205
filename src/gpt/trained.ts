/**
 * `trainedGPT(ctx, {corpus, config, steps, seed})`: train a GPT once and serve it from `ctx.cache`
 * afterwards, so the lenses never retrain the same model. The cache holds the safetensors bytes
 * (config, vocabulary and the training record in its metadata).
 */
import type { RunContext } from '../experiments/contract.js';
import { throwIfAborted } from '../experiments/contract.js';
import type { GPT } from './model.js';
import type { CharVocab } from './vocab.js';
import { type GPTConfig, type GPTConfigName, resolveConfig, type TrainHyper } from './config.js';
import { initRun, makeTrainer, trainLoop, type GradientProvider, type TrainHistory } from './train.js';
import { evalTokens } from './evaluate.js';
import { deserializeModel, serializeModel } from './io.js';

export interface TrainedGPTOptions {
  /** `shakespeare` | `tang` | `song` (or, in Node, a path) */
  corpus: string;
  config: GPTConfigName | GPTConfig;
  steps: number;
  seed: number;
  /** overrides of the config's training hyper-parameters (batchSize, lr …) */
  hyper?: Partial<TrainHyper>;
  /** validation every this many steps on the first `evalChars` held-out characters (default steps/10) */
  evalEvery?: number;
  /** characters of the held-out split used for the periodic validation (default 8192) */
  evalChars?: number;
  /** characters used for the final val bpc (default: all of the held-out 10%) */
  finalEvalChars?: number;
}

export interface TrainedGPT {
  model: GPT;
  vocab: CharVocab;
  /** bits per character on the held-out 10% (or its first finalEvalChars) */
  valBpc: number;
  /** mean training loss (nats) over the last 10% of steps */
  finalTrainLoss: number;
  history: TrainHistory;
  tokensPerSec: number;
  /** true when served from the cache */
  fromCache: boolean;
  cacheKey: string;
}

/** Something that can train in parallel (Node installs one; see parallel.node.ts). */
let providerFactory: ((model: GPT) => Promise<{ gradients: GradientProvider; close(): Promise<void> } | undefined>) | undefined;

/** Install a parallel gradient provider factory for trainedGPT (Node: worker threads). */
export function setGradientProviderFactory(f: typeof providerFactory): void {
  providerFactory = f;
}

type Ctx = Pick<RunContext, 'data' | 'cache'> & Partial<Pick<RunContext, 'progress' | 'signal' | 'log'>>;

export function trainedGPTKey(o: TrainedGPTOptions): string {
  const c = resolveConfig(o.config);
  const rest = { hyper: o.hyper ?? {}, evalChars: o.evalChars ?? 8192, final: o.finalEvalChars ?? null };
  return `gpt/v1/${o.corpus}/${JSON.stringify(c)}/${o.steps}/${o.seed}/${JSON.stringify(rest)}`;
}

export async function trainedGPT(ctx: Ctx, o: TrainedGPTOptions): Promise<TrainedGPT> {
  const cacheKey = trainedGPTKey(o);
  const cached = await ctx.cache.get(cacheKey);
  if (cached) {
    try {
      const { model, vocab, extra } = deserializeModel(cached);
      const r = extra as { valBpc: number; finalTrainLoss: number; history: TrainHistory; tokensPerSec: number };
      return { model, vocab, valBpc: r.valBpc, finalTrainLoss: r.finalTrainLoss, history: r.history, tokensPerSec: r.tokensPerSec, fromCache: true, cacheKey };
    } catch (e) {
      ctx.log?.(`cached GPT unreadable (${(e as Error).message}); retraining`);
    }
  }
  const config = resolveConfig(o.config);
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new Error(`steps must be a positive integer, got ${o.steps}`);
  const text = await ctx.data.text(o.corpus);
  const { vocab, model, train: trainTok, val: valTok } = initRun(text, config, o.seed);
  const par = providerFactory ? await providerFactory(model) : undefined;
  const trainer = makeTrainer(model, trainTok, o.seed, { steps: o.steps, ...(o.hyper ? { hyper: o.hyper } : {}), ...(par ? { gradients: par.gradients } : {}) });
  const evalChars = o.evalChars ?? 8192;
  try {
    const done = await trainLoop(trainer, {
      steps: o.steps,
      evalEvery: o.evalEvery ?? Math.max(1, Math.round(o.steps / 10)),
      evalTokens: valTok.subarray(0, Math.min(valTok.length, evalChars + 1)),
      stop: () => ctx.signal?.aborted === true,
      onStep: (info) => ctx.progress?.(info.step / o.steps, `step ${info.step}/${o.steps} loss ${info.loss.toFixed(3)}`),
      yieldEvery: 10,
    });
    if (!done && ctx.signal) throwIfAborted(ctx.signal);
  } finally {
    trainer.dispose();
    await par?.close();
  }
  const finalTok = o.finalEvalChars !== undefined ? valTok.subarray(0, Math.min(valTok.length, o.finalEvalChars + 1)) : valTok;
  const valBpc = evalTokens(model, finalTok).bpc;
  const h = trainer.history;
  const tail = h.loss.slice(Math.floor(h.loss.length * 0.9));
  const finalTrainLoss = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
  const tokensPerSec = (o.steps * trainer.hyper.batchSize * config.blockSize * 1000) / Math.max(1, h.trainMs);
  await ctx.cache.set(cacheKey, serializeModel(model, vocab, { valBpc, finalTrainLoss, history: h, tokensPerSec }));
  return { model, vocab, valBpc, finalTrainLoss, history: h, tokensPerSec, fromCache: false, cacheKey };
}
