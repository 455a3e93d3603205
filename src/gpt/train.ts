/**
 * Training the GPT: random windows of the training text (nanoGPT's `get_batch`), mean
 * cross-entropy, gradients by tfjs autodiff (or by a parallel gradient provider), global-norm
 * clipping, and AdamW with linear warmup and cosine decay (from src/optim).
 *
 * One training loop: `initRun` (vocabulary of the whole text, initial weights from the seed),
 * `makeTrainer` (batches from the seed) and `trainLoop` are what the cached models (trained.ts),
 * the CLI's `train` and the lab's live training all run, so one seed and config give one model.
 *
 * The whole training state — step, parameters, optimizer memory, rng state and the curves — can be
 * saved and restored, so a resumed run continues bit for bit.
 */
import { tf } from '../engine/tf.js';
import { Rng } from '../engine/rng.js';
import { createTensorOptimizer, type TensorOptimizer } from '../optim/optimizers.js';
import { makeSchedule, type Schedule } from '../optim/schedules.js';
import { clipByGlobalNorm } from '../optim/clipping.js';
import { tick } from '../experiments/contract.js';
import { splitText } from '../data/corpora.js';
import { GPT } from './model.js';
import { CharVocab } from './vocab.js';
import type { GPTConfig, TrainHyper } from './config.js';
import { evalTokens } from './evaluate.js';

/** One batch: inputs and targets [B, T] row-major. */
export interface Batch {
  x: Int32Array;
  y: Int32Array;
  B: number;
  T: number;
}

/** B random windows of length T+1 of `data` (offsets uniform in [0, n − T − 1]). */
export function sampleBatch(data: Int32Array, B: number, T: number, rng: Rng): Batch {
  if (data.length < T + 1) throw new Error(`the training text has ${data.length} tokens, fewer than context + 1 = ${T + 1}`);
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const i = rng.int(data.length - T);
    x.set(data.subarray(i, i + T), b * T);
    y.set(data.subarray(i + 1, i + T + 1), b * T);
  }
  return { x, y, B, T };
}

/** Something that returns the mean loss and the gradients (by GPT-2 name) of a batch. */
export type GradientProvider = (batch: Batch, dropoutRng: Rng) => Promise<{ loss: number; grads: Record<string, tf.Tensor> }>;

/** Gradients of the mean loss on one batch, in this thread. */
export function localGradients(model: GPT, batch: Batch, dropoutRng?: Rng): { loss: number; grads: Record<string, tf.Tensor> } {
  const names = model.names;
  const vars = names.map((n) => model.params[n]!);
  const byVarName = new Map(vars.map((v, i) => [v.name, names[i]!]));
  const x = tf.tensor2d(batch.x, [batch.B, batch.T], 'int32');
  const y = tf.tensor2d(batch.y, [batch.B, batch.T], 'int32');
  const opts = dropoutRng ? { training: true, rng: dropoutRng } : { training: true };
  const { value, grads } = tf.variableGrads(() => model.loss(x, y, opts), vars);
  x.dispose();
  y.dispose();
  const loss = value.dataSync()[0]!;
  value.dispose();
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[byVarName.get(k)!] = g;
  return { loss, grads: out };
}

export interface StepInfo {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** tokens per second over the last step */
  tokensPerSec: number;
}

export interface TrainerState {
  step: number;
  rng: number[];
  optimizer: Record<string, tf.Tensor>;
  optimizerSteps: number;
  history: TrainHistory;
}

export interface TrainHistory {
  /** per step */
  loss: number[];
  lr: number[];
  /** validation points */
  val: { step: number; loss: number; bpc: number }[];
  /** wall-clock training time so far (ms, excludes evaluation) */
  trainMs: number;
}

/** Stepwise trainer. `steps` sets the schedule's horizon. */
export class GPTTrainer {
  readonly model: GPT;
  readonly hyper: TrainHyper;
  readonly steps: number;
  readonly schedule: Schedule;
  readonly optimizer: TensorOptimizer;
  readonly rng: Rng;
  step = 0;
  history: TrainHistory = { loss: [], lr: [], val: [], trainMs: 0 };
  private readonly data: Int32Array;
  private readonly provider: GradientProvider | undefined;

  constructor(model: GPT, trainTokens: Int32Array, opts: { steps: number; seed: number; hyper?: Partial<TrainHyper>; gradients?: GradientProvider }) {
    this.model = model;
    this.hyper = { ...model.config.train, ...(opts.hyper ?? {}) };
    this.steps = opts.steps;
    this.data = trainTokens;
    this.rng = new Rng(opts.seed);
    this.provider = opts.gradients;
    const h = this.hyper;
    this.schedule = makeSchedule({ kind: 'warmup-cosine', lrMax: h.lr, lrMin: h.minLr, warmup: Math.min(h.warmupSteps, Math.max(0, opts.steps - 1)), T: opts.steps });
    this.optimizer = createTensorOptimizer({ kind: 'adamw', beta1: h.beta1, beta2: h.beta2, eps: h.eps, weightDecay: h.weightDecay });
    if (trainTokens.length < model.config.blockSize + 1) {
      throw new Error(`the training text has ${trainTokens.length} characters, fewer than the context ${model.config.blockSize} + 1`);
    }
  }

  /** One optimisation step; returns what happened. */
  async trainStep(): Promise<StepInfo> {
    const t0 = performance.now();
    const B = this.hyper.batchSize;
    const T = this.model.config.blockSize;
    const batch = sampleBatch(this.data, B, T, this.rng);
    const dropRng = this.model.config.dropout > 0 ? this.rng.fork(`dropout-${this.step}`) : undefined;
    const { loss, grads } = this.provider ? await this.provider(batch, dropRng ?? this.rng.fork('unused')) : localGradients(this.model, batch, dropRng);
    if (!Number.isFinite(loss)) {
      Object.values(grads).forEach((g) => g.dispose());
      throw new Error(`training diverged at step ${this.step}: loss is ${loss}`);
    }
    const clipped = clipByGlobalNorm(grads, this.hyper.gradClip);
    Object.values(grads).forEach((g) => g.dispose());
    const lr = this.schedule(this.step);
    this.optimizer.step(this.model.params, clipped.grads, lr);
    Object.values(clipped.grads).forEach((g) => g.dispose());
    this.step += 1;
    const ms = performance.now() - t0;
    this.history.loss.push(loss);
    this.history.lr.push(lr);
    this.history.trainMs += ms;
    return { step: this.step, loss, lr, gradNorm: clipped.norm, tokensPerSec: (B * T * 1000) / ms };
  }

  /** The full state for a checkpoint (optimizer tensors are clones: dispose them after saving). */
  getState(): TrainerState {
    return {
      step: this.step,
      rng: this.rng.getState(),
      optimizer: this.optimizer.getState(),
      optimizerSteps: this.optimizer.steps,
      history: JSON.parse(JSON.stringify(this.history)) as TrainHistory,
    };
  }

  setState(s: TrainerState): void {
    this.step = s.step;
    this.rng.setState(s.rng);
    this.optimizer.setState(s.optimizer, s.optimizerSteps);
    this.history = JSON.parse(JSON.stringify(s.history)) as TrainHistory;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** A new run: the vocabulary of the whole text, the 90/10 split as tokens, the initial weights from `seed`. */
export function initRun(text: string, config: GPTConfig, seed: number): { vocab: CharVocab; model: GPT; train: Int32Array; val: Int32Array } {
  const vocab = CharVocab.fromText(text);
  const { train, val } = splitText(text);
  const model = GPT.init(config, vocab.size, new Rng(seed).fork('gpt-init'));
  return { vocab, model, train: vocab.encode(train), val: vocab.encode(val) };
}

/** The trainer of a run: its batches (and dropout) drawn from `seed`. */
export function makeTrainer(model: GPT, trainTokens: Int32Array, seed: number, o: { steps: number; hyper?: Partial<TrainHyper>; gradients?: GradientProvider }): GPTTrainer {
  return new GPTTrainer(model, trainTokens, {
    steps: o.steps,
    seed: new Rng(seed).fork('gpt-train').nextUint32(),
    ...(o.hyper ? { hyper: o.hyper } : {}),
    ...(o.gradients ? { gradients: o.gradients } : {}),
  });
}

export interface LoopOptions {
  /** train until this step */
  steps: number;
  /** validate every this many steps (and at the last) on `evalTokens` */
  evalEvery: number;
  evalTokens: Int32Array;
  /** asked before every step: true ends the loop early (Ctrl-C, an aborted page) */
  stop?: () => boolean;
  onStep?: (info: StepInfo) => void;
  /** after a validation point is added to the history (a checkpoint, an event to the page) */
  onEval?: (point: { step: number; loss: number; bpc: number }, info: StepInfo) => void | Promise<void>;
  /** let the event loop run every this many steps (default 1) */
  yieldEvery?: number;
}

/** The training loop; true when it reached `steps`, false when `stop` ended it. A non-finite loss throws, naming the step, before any update. */
export async function trainLoop(trainer: GPTTrainer, o: LoopOptions): Promise<boolean> {
  const every = o.yieldEvery ?? 1;
  while (trainer.step < o.steps) {
    if (o.stop?.()) return false;
    const info = await trainer.trainStep();
    o.onStep?.(info);
    if (trainer.step % o.evalEvery === 0 || trainer.step === o.steps) {
      const r = evalTokens(trainer.model, o.evalTokens);
      const point = { step: trainer.step, loss: r.nats, bpc: r.bpc };
      trainer.history.val.push(point);
      await o.onEval?.(point, info);
    }
    if (trainer.step % every === 0) await tick();
  }
  return true;
}
