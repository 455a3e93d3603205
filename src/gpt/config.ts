/**
 * The named GPT configurations. `baby` is nanoGPT's CPU config for tiny shakespeare
 * (4 layers, 4 heads, 128 wide, context 64, batch 12, dropout 0) with a tuned learning-rate
 * schedule (see BABY_TRAIN; nanoGPT's own recipe is NANOGPT_BABY_TRAIN, `--recipe nanogpt`);
 * `nano` is for tests (trains in seconds); `small` is 6 layers, 6 heads, 192 wide, context 128.
 */
export interface TrainHyper {
  /** sequences per step */
  batchSize: number;
  /** peak learning rate (after linear warmup) */
  lr: number;
  /** learning rate at the end of the cosine decay */
  minLr: number;
  /** linear warmup steps */
  warmupSteps: number;
  /** AdamW decoupled weight decay on matrices and embeddings (not biases, not LayerNorm gains) */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** clip the global gradient norm to this */
  gradClip: number;
}

export interface GPTConfig {
  name: string;
  /** L: transformer blocks */
  nLayer: number;
  /** H: attention heads (C must be divisible by H) */
  nHead: number;
  /** C: residual width */
  nEmbd: number;
  /** T: the longest context (also the training sequence length) */
  blockSize: number;
  /** dropout probability on attention weights, residual branches and embeddings (training only) */
  dropout: number;
  /** tie the output head to the token embedding `wte` (GPT-2 does) */
  tieWeights: boolean;
  /** training defaults */
  train: TrainHyper;
}

const BASE_TRAIN: TrainHyper = {
  batchSize: 12,
  lr: 1e-3,
  minLr: 1e-4,
  warmupSteps: 100,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  gradClip: 1.0,
};

/**
 * nanoGPT's exact CPU recipe for the baby GPT on tiny shakespeare (README "baby GPT" command on
 * config/train_shakespeare_char.py): AdamW, lr 1e-3 → 1e-4 cosine (lr_decay_iters = max_iters),
 * warmup 100, β1 0.9, β2 0.99, weight decay 0.1, clip 1.0. Kept so the comparison stays
 * reproducible: `fivelens train --config baby --recipe nanogpt` (or `fivelens run gpt.train --preset full
 * --set recipe=nanogpt`). The schedule is nanoGPT's get_lr up to its warmup ramp (here lr·(t+1)/warmup,
 * nanoGPT lr·(t+1)/(warmup+1)). One architectural difference remains: fivelens' GPT has zero-initialised
 * biases in its linear layers and LayerNorms, nanoGPT's shakespeare_char model has none (bias=False).
 */
export const NANOGPT_BABY_TRAIN: TrainHyper = { ...BASE_TRAIN };

/** Named training recipes for `fivelens train --recipe NAME` (applied over the config's own). */
export const TRAIN_RECIPES = {
  nanogpt: NANOGPT_BABY_TRAIN,
} as const satisfies Record<string, TrainHyper>;

/**
 * The `baby` default: nanoGPT's recipe with a 4× higher peak learning rate (and minLr kept at
 * peak/10). nanoGPT's values: lr 1e-3 → 1e-4, warmup 100, β2 0.99, weight decay 0.1.
 * Measured here (2000 steps, batch 12, seed 1337, val loss on the whole held-out 10%, 111,539 chars,
 * non-overlapping 64-windows): nanoGPT's recipe 1.905 nats (2.749 bpc); this one
 * 1.764 nats (2.545 bpc), seeds 1 and 2: 1.752, 1.765 (seed spread ≈ ±0.007). Sweep (seed 1337):
 * lr 2e-3 1.808, 6e-3 1.774, 8e-3 1.783; at 4e-3 minLr 4e-5 1.766, β2 0.95 1.783 (scratch/gpt-sweep/).
 */
export const BABY_TRAIN: TrainHyper = { ...BASE_TRAIN, lr: 4e-3, minLr: 4e-4 };

export const GPT_CONFIGS = {
  nano: {
    name: 'nano',
    nLayer: 2,
    nHead: 2,
    nEmbd: 32,
    blockSize: 32,
    dropout: 0,
    tieWeights: true,
    train: { ...BASE_TRAIN, batchSize: 8, lr: 3e-3, minLr: 3e-4, warmupSteps: 10, weightDecay: 0 },
  },
  baby: { name: 'baby', nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64, dropout: 0, tieWeights: true, train: { ...BABY_TRAIN } },
  /**
   * `baby` at half the depth — the checkpoint for `fivelens zip --model`. At baby's 2000 steps depth buys
   * nothing here (whole held-out split; seed 1337: 2 layers 1.758 nats, 3 layers 1.760, 4 layers 1.762;
   * seed 1: 2 layers 1.743, 4 layers 1.752), and half the layers is half the work per character.
   */
  shallow: { name: 'shallow', nLayer: 2, nHead: 4, nEmbd: 128, blockSize: 64, dropout: 0, tieWeights: true, train: { ...BABY_TRAIN } },
  small: {
    name: 'small',
    nLayer: 6,
    nHead: 6,
    nEmbd: 192,
    blockSize: 128,
    dropout: 0,
    tieWeights: true,
    train: { ...BASE_TRAIN },
  },
} as const satisfies Record<string, GPTConfig>;

export type GPTConfigName = keyof typeof GPT_CONFIGS;
export const GPT_CONFIG_NAMES = Object.keys(GPT_CONFIGS) as GPTConfigName[];

export function isGPTConfigName(s: string): s is GPTConfigName {
  return Object.prototype.hasOwnProperty.call(GPT_CONFIGS, s);
}

/** A mutable copy of a named config (or a config object), checked. */
export function resolveConfig(c: GPTConfigName | GPTConfig): GPTConfig {
  const base: GPTConfig = typeof c === 'string' ? GPT_CONFIGS[c] : c;
  const out: GPTConfig = { ...base, train: { ...base.train } };
  validateConfig(out);
  return out;
}

export function validateConfig(c: GPTConfig): void {
  const int = (k: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`config ${c.name}: ${k} must be a positive integer, got ${v}`);
  };
  int('nLayer', c.nLayer);
  int('nHead', c.nHead);
  int('nEmbd', c.nEmbd);
  int('blockSize', c.blockSize);
  int('batchSize', c.train.batchSize);
  if (c.nEmbd % c.nHead !== 0) throw new Error(`config ${c.name}: nEmbd ${c.nEmbd} is not divisible by nHead ${c.nHead}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`config ${c.name}: dropout must be in [0, 1), got ${c.dropout}`);
}

/** Number of parameters of a config for a vocabulary of V symbols. */
export function parameterCount(c: GPTConfig, V: number): number {
  const C = c.nEmbd;
  const perLayer = 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + 2 * C + (C * 4 * C + 4 * C) + (4 * C * C + C);
  return V * C + c.blockSize * C + c.nLayer * perLayer + 2 * C + (c.tieWeights ? 0 : V * C);
}

/**
 * Rough peak memory of one training step in bytes (float32): parameters, AdamW moments and
 * gradients, plus the activations kept for backprop. Used to refuse configs too large for memory.
 */
export function trainingMemoryEstimate(c: GPTConfig, V: number, batchSize = c.train.batchSize): number {
  const P = parameterCount(c, V);
  const B = batchSize;
  const T = c.blockSize;
  const C = c.nEmbd;
  const acts = c.nLayer * B * T * (20 * C + 3 * c.nHead * T) + B * T * V * 3;
  return 4 * (4 * P + acts);
}

/** The names of the training hyper-parameters (for `--set key=value`). */
export const TRAIN_HYPER_KEYS = ['batchSize', 'lr', 'minLr', 'warmupSteps', 'weightDecay', 'beta1', 'beta2', 'eps', 'gradClip'] as const satisfies readonly (keyof TrainHyper)[];

export function isTrainHyperKey(s: string): s is keyof TrainHyper {
  return (TRAIN_HYPER_KEYS as readonly string[]).includes(s);
}

/** Throws one clear line when a training hyper-parameter is out of range. */
export function validateTrainHyper(h: TrainHyper): void {
  const bad = (k: string, v: number, want: string) => {
    throw new Error(`training hyper-parameter ${k} = ${v}: expected ${want}`);
  };
  if (!Number.isInteger(h.batchSize) || h.batchSize < 1) bad('batchSize', h.batchSize, 'a positive integer');
  if (!(h.lr > 0 && Number.isFinite(h.lr))) bad('lr', h.lr, 'a positive number');
  if (!(h.minLr >= 0 && h.minLr <= h.lr)) bad('minLr', h.minLr, `a number in [0, lr = ${h.lr}]`);
  if (!Number.isInteger(h.warmupSteps) || h.warmupSteps < 0) bad('warmupSteps', h.warmupSteps, 'an integer ≥ 0');
  if (!(h.weightDecay >= 0 && Number.isFinite(h.weightDecay))) bad('weightDecay', h.weightDecay, 'a number ≥ 0');
  if (!(h.beta1 >= 0 && h.beta1 < 1)) bad('beta1', h.beta1, 'a number in [0, 1)');
  if (!(h.beta2 >= 0 && h.beta2 < 1)) bad('beta2', h.beta2, 'a number in [0, 1)');
  if (!(h.eps > 0 && Number.isFinite(h.eps))) bad('eps', h.eps, 'a positive number');
  if (!(h.gradClip > 0 && Number.isFinite(h.gradClip))) bad('gradClip', h.gradClip, 'a positive number');
}

/**
 * `key=value` pairs (the CLI's `--set`) → a partial TrainHyper. Unknown keys and non-numbers throw
 * one clear line; ranges are checked by validateTrainHyper once merged.
 */
export function parseTrainOverrides(pairs: readonly string[]): Partial<TrainHyper> {
  const out: Partial<TrainHyper> = {};
  for (const pair of pairs) {
    const m = /^\s*([A-Za-z0-9]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!m) throw new Error(`"${pair}": expected key=value, e.g. lr=2e-3`);
    const key = m[1]!;
    if (!isTrainHyperKey(key)) throw new Error(`"${pair}": unknown hyper-parameter ${key}; use one of ${TRAIN_HYPER_KEYS.join(', ')}`);
    const v = Number(m[2]);
    if (!Number.isFinite(v)) throw new Error(`"${pair}": ${m[2]} is not a number`);
    out[key] = v;
  }
  return out;
}

/** A copy of the config with its training hyper-parameters overridden (checked). */
export function withTrainHyper(c: GPTConfig, over: Partial<TrainHyper>): GPTConfig {
  const out: GPTConfig = { ...c, train: { ...c.train, ...over } };
  validateTrainHyper(out.train);
  return out;
}
