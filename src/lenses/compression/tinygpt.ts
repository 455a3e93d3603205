/**
 * The compression lens's view of the tiny GPT: the one trained model (trainedGPT, cached), its
 * weight matrices, an evaluation with substituted weights that reports bpc and next-character
 * accuracy, the empirical diagonal Fisher, and the inputs of every linear layer (for GPTQ's H).
 */
import { tf } from '../../engine/tf.js';
import type { RunContext } from '../../experiments/contract.js';
import { splitText } from '../../data/corpora.js';
import { trainedGPT, serializeModel, type GPT, type CharVocab, type GPTConfigName } from '../../gpt/index.js';
import { GPT64, loadGPTWeights } from '../../zip/gptbits.js';
import { LENS_GPT_OPTS } from '../../gpt/lens-options.js';

export interface LensGPTOptions {
  config: GPTConfigName;
  steps: number;
  seed: number;
}

/**
 * The lenses' shared training options (part of the cache key, so one trained model serves them all),
 * except nano: this lens's nano runs use gpt.train's quick-preset options (batch 8), not the
 * information lens's (batch 16), so the two lenses train separate nano models.
 */
export const SHARED_GPT_OPTS = {
  ...LENS_GPT_OPTS,
  nano: { hyper: { batchSize: 8 }, evalChars: 1024, finalEvalChars: 4096 },
} as const;

export async function lensGPT(ctx: RunContext, o: LensGPTOptions) {
  const tg = await trainedGPT(
    { ...ctx, progress: (f, m) => ctx.progress(0.5 * f, `training the tiny GPT (once, then cached): ${m ?? ''}`) },
    { corpus: 'shakespeare', config: o.config, steps: o.steps, seed: o.seed, evalEvery: Math.max(1, Math.round(o.steps / 20)), ...SHARED_GPT_OPTS[o.config] },
  );
  const text = await ctx.data.text('shakespeare');
  const { train, val } = splitText(text);
  return { ...tg, trainTok: tg.vocab.encode(train), valTok: tg.vocab.encode(val) };
}

/** The 2-D weights worth quantizing / pruning: embeddings and every linear layer's matrix. */
export function matrixNames(model: GPT): string[] {
  return model.names.filter((n) => model.params[n]!.shape.length === 2);
}

export function linearNames(model: GPT): string[] {
  return matrixNames(model).filter((n) => n.startsWith('h.'));
}

/** bpc and top-1 next-character accuracy on `tokens` (non-overlapping windows), with substituted weights. */
export function evalGPT(model: GPT, tokens: Int32Array, weights?: Record<string, tf.Tensor>, batch = 32): { bpc: number; acc: number } {
  const T = model.config.blockSize;
  const nWin = Math.floor((tokens.length - 1) / T);
  let nll = 0;
  let correct = 0;
  let n = 0;
  const V = model.vocabSize;
  for (let w0 = 0; w0 < nWin; w0 += batch) {
    const B = Math.min(batch, nWin - w0);
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        x[b * T + t] = tokens[(w0 + b) * T + t]!;
        y[b * T + t] = tokens[(w0 + b) * T + t + 1]!;
      }
    const [lp, hit] = tf.tidy(() => {
      const { logits } = model.forward(tf.tensor2d(x, [B, T], 'int32'), weights ? { weights } : {});
      const l = tf.logSoftmax(tf.reshape(logits, [B * T, V]));
      const yt = tf.tensor1d(y, 'int32');
      const lpv = tf.sum(tf.mul(l, tf.oneHot(yt, V)), -1);
      const h = tf.equal(tf.argMax(l, -1), yt).cast('float32');
      return [tf.sum(lpv).dataSync()[0]!, tf.sum(h).dataSync()[0]!];
    });
    nll -= lp;
    correct += hit;
    n += B * T;
  }
  return { bpc: nll / n / Math.LN2, acc: correct / n };
}

/** Weights as named float32 arrays. */
export function weightArrays(model: GPT, names: string[]): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const n of names) out[n] = model.params[n]!.dataSync() as Float32Array;
  return out;
}

/** Tensors from arrays (for forward({weights})); caller disposes. */
export function toTensors(model: GPT, arrays: Record<string, Float32Array>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [n, a] of Object.entries(arrays)) out[n] = tf.tensor(a, model.params[n]!.shape);
  return out;
}

export function disposeAll(ts: Record<string, tf.Tensor>): void {
  for (const t of Object.values(ts)) t.dispose();
}

/** Empirical diagonal Fisher E[g²] of the training loss, over `batches` windows batches. */
export function diagFisher(model: GPT, tokens: Int32Array, names: string[], batches: number, B = 8): Record<string, Float32Array> {
  const T = model.config.blockSize;
  const acc: Record<string, Float64Array> = {};
  for (const n of names) acc[n] = new Float64Array(model.params[n]!.size);
  const vars = names.map((n) => model.params[n]!);
  for (let k = 0; k < batches; k++) {
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const s = ((k * B + b) * T * 7) % Math.max(1, tokens.length - T - 1);
      for (let t = 0; t < T; t++) {
        x[b * T + t] = tokens[s + t]!;
        y[b * T + t] = tokens[s + t + 1]!;
      }
    }
    const { grads, value } = tf.variableGrads(() => model.loss(tf.tensor2d(x, [B, T], 'int32'), tf.tensor2d(y, [B, T], 'int32')), vars);
    value.dispose();
    for (const n of names) {
      const g = grads[model.params[n]!.name]!;
      const d = g.dataSync();
      const a = acc[n]!;
      for (let i = 0; i < d.length; i++) a[i] = a[i]! + d[i]! * d[i]!;
      g.dispose();
    }
    for (const g of Object.values(grads)) if (!g.isDisposed) g.dispose();
  }
  const out: Record<string, Float32Array> = {};
  for (const n of names) out[n] = Float32Array.from(acc[n]!, (v) => v / batches);
  return out;
}

/**
 * H = XᵀX/N for the input X of every linear layer, from the float64 forward over `tokens`
 * (the model's own context windows). Returns by weight name (`h.0.attn.c_attn.weight` …).
 */
export function linearInputHessians(model: GPT, vocab: CharVocab, tokens: Int32Array): Record<string, { H: Float64Array; I: number }> {
  const w = loadGPTWeights(serializeModel(model, vocab));
  const g = new GPT64(w);
  const C = w.C;
  const Hs: Record<string, { H: Float64Array; I: number }> = {};
  let count = 0;
  g.recorder = (layer, kind, x) => {
    const name = `h.${layer}.${kind}.weight`;
    const I = x.length;
    let e = Hs[name];
    if (!e) Hs[name] = e = { H: new Float64Array(I * I), I };
    const H = e.H;
    for (let a = 0; a < I; a++) {
      const xa = x[a]!;
      if (xa === 0) continue;
      const o = a * I;
      for (let b = 0; b < I; b++) H[o + b] = H[o + b]! + xa * x[b]!;
    }
    if (layer === 0 && kind === 'attn.c_attn') count++;
  };
  for (let i = 0; i < tokens.length; i++) g.push(tokens[i]!);
  g.recorder = undefined;
  for (const e of Object.values(Hs)) for (let i = 0; i < e.H.length; i++) e.H[i] = e.H[i]! / count;
  void C;
  return Hs;
}
