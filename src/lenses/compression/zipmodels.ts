/**
 * The two models of `fivelens zip`:
 * - online: the adaptive context-mixing model alone (cm.ts). Both sides start from the same fixed
 *   initial state and learn from the bytes already coded, so the file is self-contained.
 * - model: a trained GPT checkpoint (float64, deterministic: gptbits.ts) whose per-bit opinion is one
 *   more input of the same context mixer, which keeps adapting while coding.
 */
import { ContextMixer, DEFAULT_CM, cmConfigString, stretch, type CMOptions, type ExternalInput } from './cm.js';
import { GPTBitModel, loadGPTWeights, type GPTWeights } from './gptbits.js';
import type { ZipModel } from './codec.js';

export function onlineModel(opts: Partial<CMOptions> = {}): ZipModel {
  const o = { ...DEFAULT_CM, ...opts };
  return { mode: 'online', config: cmConfigString(o), create: () => new ContextMixer(o) };
}

/**
 * A dictionary (like zstd's --dict): text both sides hold, run through the context-mixing model
 * before coding. It is part of the model (mode 'model'): its bytes are hashed into the file and its
 * size is reported separately, never hidden.
 */
export function dictModel(dict: Uint8Array, opts: Partial<CMOptions> = {}): ZipModel {
  const o = { ...DEFAULT_CM, ...opts };
  return {
    mode: 'model',
    config: `dict|${cmConfigString(o)}`,
    checkpoint: dict,
    create: () => {
      const m = new ContextMixer(o);
      m.prime(dict);
      return m;
    },
  };
}

/** The GPT's opinion as mixer inputs: its stretched probability, 0 when it has none. */
class GPTInput implements ExternalInput {
  readonly count = 1;
  private readonly g: GPTBitModel;
  constructor(w: GPTWeights) {
    this.g = new GPTBitModel(w);
  }
  fill(st: Float64Array, off: number): number {
    const p = this.g.p1();
    if (p < 0) {
      st[off] = 0;
      return 0;
    }
    let p12 = Math.round(p * 4096);
    if (p12 < 1) p12 = 1;
    else if (p12 > 4095) p12 = 4095;
    st[off] = stretch(p12);
    return 1;
  }
  update(bit: number, byteDone: number | undefined): void {
    this.g.update(bit, byteDone);
  }
}

/** A model-mode ZipModel from checkpoint bytes (safetensors, fivelens-gpt/1). */
export function gptModel(checkpoint: Uint8Array, opts: Partial<CMOptions> = {}, dict?: Uint8Array): ZipModel {
  const o = { ...DEFAULT_CM, ...opts };
  const w = loadGPTWeights(checkpoint);
  let all = checkpoint;
  if (dict) {
    all = new Uint8Array(checkpoint.length + dict.length);
    all.set(checkpoint, 0);
    all.set(dict, checkpoint.length);
  }
  return {
    mode: 'model',
    config: `gpt64-1|${dict ? `dict${checkpoint.length}|` : ''}${cmConfigString(o)}`,
    checkpoint: all,
    create: () => {
      const m = new ContextMixer(o, new GPTInput(w));
      // the dictionary primes the context mixer only (the GPT already learned from its training text)
      if (dict) m.prime(dict);
      return m;
    },
  };
}
