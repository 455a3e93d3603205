/**
 * The named GPT configurations. `baby` is nanoGPT's CPU config for tiny shakespeare
 * (4 layers, 4 heads, 128 wide, context 64, batch 12, AdamW 1e-3 → 1e-4 cosine, warmup 100,
 * β2 0.99, weight decay 0.1, clip 1.0, dropout 0); `nano` is for tests (trains in seconds);
 * `small` is 6 layers, 6 heads, 192 wide, context 128.
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
  baby: { name: 'baby', nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64, dropout: 0, tieWeights: true, train: { ...BASE_TRAIN } },
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
