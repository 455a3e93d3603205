/**
 * A GPT-2-style decoder in TensorFlow.js: token + position embeddings, pre-LayerNorm blocks with
 * causal multi-head self-attention and a GELU MLP, a final LayerNorm, and an output head tied to
 * the token embedding (optional). Weights are named as in GPT-2 / HuggingFace (`wte`, `wpe`,
 * `h.0.ln_1.weight`, `h.0.attn.c_attn.weight` [C, 3C] (Conv1D layout: [in, out]), `h.0.attn.c_proj.*`,
 * `h.0.ln_2.*`, `h.0.mlp.c_fc.*`, `h.0.mlp.c_proj.*`, `ln_f.*`, and `lm_head.weight` [V, C] when untied).
 * GELU is the tanh approximation (HF `gelu_new`), LayerNorm ε = 1e-5.
 *
 * Shapes: B batch, T time, C width, V vocab, H heads, D = C/H head dim, N = B·T rows.
 * Inside, the residual stream is kept as a 2-D [N, C] matrix so every linear layer is one plain
 * 2-D matMul (the fast XNNPACK path on wasm).
 */
import { tf } from '../engine/tf.js';
import type { Rng } from '../engine/rng.js';
import { type GPTConfig, type GPTConfigName, resolveConfig, parameterCount } from './config.js';

export interface ForwardOptions {
  /** substituted weights by GPT-2 name (pruned, quantized …); the others come from `params` */
  weights?: Record<string, tf.Tensor>;
  /** also return each layer's attention probabilities [B, H, T, T] */
  returnAttention?: boolean;
  /** also return the residual stream after each block [B, T, C] (L entries, before ln_f) */
  returnHidden?: boolean;
  /** dropout on (needs `rng` when config.dropout > 0) */
  training?: boolean;
  rng?: Rng;
}

export interface ForwardResult {
  /** [B, T, V] unnormalised next-token scores */
  logits: tf.Tensor3D;
  attention?: tf.Tensor4D[];
  hidden?: tf.Tensor3D[];
}

const LN_EPS = 1e-5;
const GELU_K = Math.sqrt(2 / Math.PI);

/** LayerNorm over the last axis: (x − μ)/√(σ² + ε) · w + b. x [N, C]. */
export function layerNorm(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), w), b);
}

/**
 * GELU, tanh approximation: ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³) — computed as the identical
 * x·σ(2u), because ½(1 + tanh u) = σ(2u) and wasm's sigmoid is vectorised (XNNPACK) while tanh is ~15× slower.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  const twoU = tf.mul(x, tf.add(tf.mul(tf.square(x), 2 * 0.044715 * GELU_K), 2 * GELU_K));
  return tf.mul(x, tf.sigmoid(twoU));
}

/** Inverted dropout with a mask drawn from our Rng (never tfjs's own randomness). */
export function dropout(x: tf.Tensor, p: number, rng: Rng): tf.Tensor {
  if (p <= 0) return x;
  const u = rng.uniformArray(x.size);
  const mask = tf.tensor(u, x.shape, 'float32').greaterEqual(p).cast('float32');
  return tf.mul(x, tf.mul(mask, 1 / (1 - p)));
}

/** The ordered list of parameter names and shapes of a config. */
export function parameterShapes(c: GPTConfig, V: number): [string, number[]][] {
  const C = c.nEmbd;
  const out: [string, number[]][] = [
    ['wte', [V, C]],
    ['wpe', [c.blockSize, C]],
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const h = `h.${l}`;
    out.push(
      [`${h}.ln_1.weight`, [C]],
      [`${h}.ln_1.bias`, [C]],
      [`${h}.attn.c_attn.weight`, [C, 3 * C]],
      [`${h}.attn.c_attn.bias`, [3 * C]],
      [`${h}.attn.c_proj.weight`, [C, C]],
      [`${h}.attn.c_proj.bias`, [C]],
      [`${h}.ln_2.weight`, [C]],
      [`${h}.ln_2.bias`, [C]],
      [`${h}.mlp.c_fc.weight`, [C, 4 * C]],
      [`${h}.mlp.c_fc.bias`, [4 * C]],
      [`${h}.mlp.c_proj.weight`, [4 * C, C]],
      [`${h}.mlp.c_proj.bias`, [C]],
    );
  }
  out.push(['ln_f.weight', [C]], ['ln_f.bias', [C]]);
  if (!c.tieWeights) out.push(['lm_head.weight', [V, C]]);
  return out;
}

export class GPT {
  readonly config: GPTConfig;
  readonly vocabSize: number;
  /** every weight by its GPT-2 name, in a fixed order */
  readonly params: Record<string, tf.Variable>;
  private masks = new Map<number, tf.Tensor2D>();

  private constructor(config: GPTConfig, vocabSize: number, params: Record<string, tf.Variable>) {
    this.config = config;
    this.vocabSize = vocabSize;
    this.params = params;
  }

  /**
   * GPT-2 initialisation: N(0, 0.02) for matrices and embeddings, N(0, 0.02/√(2L)) for the two
   * residual projections (`c_proj`), zeros for biases, ones for LayerNorm gains. Deterministic in `rng`.
   */
  static init(config: GPTConfigName | GPTConfig, vocabSize: number, rng: Rng): GPT {
    const c = resolveConfig(config);
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new Error(`vocabSize must be a positive integer, got ${vocabSize}`);
    const params: Record<string, tf.Variable> = {};
    const projStd = 0.02 / Math.sqrt(2 * c.nLayer);
    for (const [name, shape] of parameterShapes(c, vocabSize)) {
      const n = shape.reduce((a, b) => a * b, 1);
      let values: Float32Array;
      if (name.endsWith('.bias')) values = new Float32Array(n);
      else if (name.startsWith('ln_') || name.includes('.ln_')) values = new Float32Array(n).fill(1);
      else values = rng.normalArray(n, name.endsWith('c_proj.weight') ? projStd : 0.02);
      params[name] = tf.variable(tf.tensor(values, shape, 'float32'), true);
    }
    return new GPT(c, vocabSize, params);
  }

  /** A model from named arrays (a checkpoint). Every expected name must be present with its shape. */
  static fromWeights(config: GPTConfigName | GPTConfig, vocabSize: number, weights: Record<string, { shape: number[]; data: Float32Array }>): GPT {
    const c = resolveConfig(config);
    const params: Record<string, tf.Variable> = {};
    try {
      for (const [name, shape] of parameterShapes(c, vocabSize)) {
        const w = weights[name];
        if (!w) throw new Error(`missing tensor "${name}"`);
        if (w.shape.join(',') !== shape.join(',')) throw new Error(`tensor "${name}" has shape [${w.shape}], expected [${shape}]`);
        params[name] = tf.variable(tf.tensor(w.data, shape, 'float32'), true);
      }
    } catch (e) {
      Object.values(params).forEach((v) => v.dispose());
      throw e;
    }
    return new GPT(c, vocabSize, params);
  }

  get numParams(): number {
    return parameterCount(this.config, this.vocabSize);
  }

  /** Parameter names in their fixed order. */
  get names(): string[] {
    return Object.keys(this.params);
  }

  /** The additive causal mask [T, T]: 0 on and below the diagonal, −1e9 above. */
  private causalMask(T: number): tf.Tensor2D {
    let m = this.masks.get(T);
    if (!m) {
      const v = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) v[i * T + j] = -1e9;
      m = tf.keep(tf.tensor2d(v, [T, T]));
      this.masks.set(T, m);
    }
    return m;
  }

  /**
   * The forward pass. idx [B, T] int32 token ids (T ≤ blockSize). Does not tidy: call inside
   * `tf.tidy` (or dispose the outputs) yourself.
   */
  forward(idx: tf.Tensor2D, opts: ForwardOptions = {}): ForwardResult {
    const c = this.config;
    const [B, T] = idx.shape;
    if (T > c.blockSize) throw new Error(`sequence of length ${T} is longer than the context ${c.blockSize}`);
    const H = c.nHead;
    const C = c.nEmbd;
    const D = C / H;
    const N = B * T;
    const p = (name: string): tf.Tensor => {
      const w = opts.weights?.[name] ?? this.params[name];
      if (!w) throw new Error(`no parameter named ${name}`);
      return w;
    };
    const drop = opts.training && c.dropout > 0;
    if (drop && !opts.rng) throw new Error('training with dropout needs an rng');
    const dp = (x: tf.Tensor) => (drop ? dropout(x, c.dropout, opts.rng!) : x);
    const linear = (x: tf.Tensor, name: string) => tf.add(tf.matMul(x as tf.Tensor2D, p(`${name}.weight`) as tf.Tensor2D), p(`${name}.bias`));

    // embeddings: x [N, C]
    const tok = tf.gather(p('wte'), tf.reshape(idx, [N]));
    const pos = tf.slice(p('wpe'), [0, 0], [T, C]);
    let x: tf.Tensor = dp(tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [N, C]));
    const mask = this.causalMask(T);
    const scale = 1 / Math.sqrt(D);
    const attention: tf.Tensor4D[] = [];
    const hidden: tf.Tensor3D[] = [];
    for (let l = 0; l < c.nLayer; l++) {
      const h = `h.${l}`;
      // attention: q, k, v [N, C] from column blocks of c_attn (slicing the small weight, not the
      // activations), then heads: q, v [B·H, T, D] and kᵀ [B·H, D, T] (rank-4 transposes only)
      const a = layerNorm(x, p(`${h}.ln_1.weight`), p(`${h}.ln_1.bias`));
      const wA = p(`${h}.attn.c_attn.weight`);
      const bA = p(`${h}.attn.c_attn.bias`);
      const proj = (j: number) => tf.add(tf.matMul(a as tf.Tensor2D, tf.slice(wA, [0, j * C], [C, C]) as tf.Tensor2D), tf.slice(bA, [j * C], [C]));
      const q = tf.reshape(tf.transpose(tf.reshape(proj(0), [B, T, H, D]), [0, 2, 1, 3]), [B * H, T, D]) as tf.Tensor3D;
      const kT = tf.reshape(tf.transpose(tf.reshape(proj(1), [B, T, H, D]), [0, 2, 3, 1]), [B * H, D, T]) as tf.Tensor3D;
      const v = tf.reshape(tf.transpose(tf.reshape(proj(2), [B, T, H, D]), [0, 2, 1, 3]), [B * H, T, D]) as tf.Tensor3D;
      const scores = tf.add(tf.mul(tf.matMul(q, kT), scale), mask); // [BH, T, T]
      const att = tf.softmax(scores) as tf.Tensor3D;
      if (opts.returnAttention) attention.push(tf.reshape(att, [B, H, T, T]));
      const y = tf.matMul(dp(att) as tf.Tensor3D, v); // [BH, T, D]
      const merged = tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, D]), [0, 2, 1, 3]), [N, C]);
      x = tf.add(x, dp(linear(merged, `${h}.attn.c_proj`)));
      // MLP
      const m = layerNorm(x, p(`${h}.ln_2.weight`), p(`${h}.ln_2.bias`));
      x = tf.add(x, dp(linear(gelu(linear(m, `${h}.mlp.c_fc`)), `${h}.mlp.c_proj`)));
      if (opts.returnHidden) hidden.push(tf.reshape(x, [B, T, C]));
    }
    const xf = layerNorm(x, p('ln_f.weight'), p('ln_f.bias')) as tf.Tensor2D;
    const head = (this.config.tieWeights ? p('wte') : p('lm_head.weight')) as tf.Tensor2D;
    const logits = tf.reshape(tf.matMul(xf, head, false, true), [B, T, this.vocabSize]) as tf.Tensor3D;
    const out: ForwardResult = { logits };
    if (opts.returnAttention) out.attention = attention;
    if (opts.returnHidden) out.hidden = hidden;
    return out;
  }

  /** Mean next-token cross-entropy in nats. idx, targets [B, T] int32. */
  loss(idx: tf.Tensor2D, targets: tf.Tensor2D, opts: ForwardOptions = {}): tf.Scalar {
    const { logits } = this.forward(idx, opts);
    return crossEntropy(logits, targets);
  }

  /**
   * ln p(tokens[t] | the up-to-T tokens before it) for every t (element 0 is ln 1/V: no context).
   * Windows of length T slide by `stride` (default T/2, so every prediction after the first
   * window sees at least T/2 tokens of context); each position is scored exactly once.
   */
  logProbs(tokens: ArrayLike<number>, opts: { stride?: number; batchSize?: number; weights?: Record<string, tf.Tensor> } = {}): Float32Array {
    const out = new Float32Array(tokens.length);
    if (tokens.length === 0) return out;
    out[0] = -Math.log(this.vocabSize);
    scoreWindows(this, tokens, opts.stride ?? Math.max(1, Math.floor(this.config.blockSize / 2)), opts.batchSize ?? 32, opts.weights, (t, lp) => {
      out[t] = lp;
    });
    return out;
  }

  /** The next-token log-probabilities [V] after `context` (its last blockSize tokens are used). */
  nextLogProbs(context: ArrayLike<number>, weights?: Record<string, tf.Tensor>): Float32Array {
    if (context.length === 0) return new Float32Array(this.vocabSize).fill(-Math.log(this.vocabSize));
    const T = Math.min(context.length, this.config.blockSize);
    const ctx = Int32Array.from(Array.prototype.slice.call(context, context.length - T) as number[]);
    return tf.tidy(() => {
      const { logits } = this.forward(tf.tensor2d(ctx, [1, T], 'int32'), weights ? { weights } : {});
      const last = tf.slice(logits, [0, T - 1, 0], [1, 1, this.vocabSize]).reshape([this.vocabSize]);
      return tf.logSoftmax(last).dataSync() as Float32Array;
    });
  }

  /**
   * Sample `n` new tokens after `prompt` (at least one token). Temperature > 0 scales the logits;
   * topK keeps the k most likely. Deterministic in `rng`.
   */
  generate(prompt: ArrayLike<number>, n: number, rng: Rng, opts: { temperature?: number; topK?: number } = {}): Int32Array {
    const temperature = opts.temperature ?? 1;
    if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
    const seq = Array.from(prompt);
    if (seq.length === 0) throw new Error('generate needs a prompt of at least one token');
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const lp = this.nextLogProbs(seq);
      out[i] = sampleFromLogits(lp, temperature, opts.topK, rng);
      seq.push(out[i]!);
    }
    return out;
  }

  dispose(): void {
    Object.values(this.params).forEach((v) => v.dispose());
    this.masks.forEach((m) => m.dispose());
    this.masks.clear();
  }
}

/** Mean softmax cross-entropy in nats. logits [B, T, V], targets [B, T] int32. */
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  const V = logits.shape[2];
  const N = logits.shape[0] * logits.shape[1];
  const lp = tf.logSoftmax(tf.reshape(logits, [N, V]));
  const oh = tf.oneHot(tf.reshape(targets, [N]), V);
  return tf.neg(tf.div(tf.sum(tf.mul(lp, oh)), N)) as tf.Scalar;
}

/** Sample an index from log-probabilities (or logits) with temperature and top-k, using `rng`. */
export function sampleFromLogits(logits: ArrayLike<number>, temperature: number, topK: number | undefined, rng: Rng): number {
  const V = logits.length;
  let idx = Array.from({ length: V }, (_, i) => i);
  if (topK !== undefined && topK > 0 && topK < V) {
    idx.sort((a, b) => logits[b]! - logits[a]! || a - b);
    idx = idx.slice(0, topK).sort((a, b) => a - b);
  }
  let mx = -Infinity;
  for (const i of idx) mx = Math.max(mx, logits[i]! / temperature);
  const w = idx.map((i) => Math.exp(logits[i]! / temperature - mx));
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let j = 0; j < idx.length; j++) {
    u -= w[j]!;
    if (u < 0) return idx[j]!;
  }
  return idx[idx.length - 1]!;
}

/**
 * Score every position t ≥ 1 of `tokens` exactly once with windows of length ≤ T sliding by
 * `stride`; calls `emit(t, ln p(tokens[t] | context))`.
 */
export function scoreWindows(
  model: GPT,
  tokens: ArrayLike<number>,
  stride: number,
  batchSize: number,
  weights: Record<string, tf.Tensor> | undefined,
  emit: (t: number, lp: number) => void,
): void {
  const n = tokens.length;
  if (n < 2) return;
  const T = Math.min(model.config.blockSize, n - 1);
  // windows [s, s+T): inputs tokens[s..s+T-1], targets tokens[s+1..s+T]; scored targets t > covered
  const wins: { s: number; from: number }[] = [];
  let covered = 0; // targets 1..covered are done
  for (let s = 0; ; s += stride) {
    const start = Math.min(s, n - 1 - T);
    wins.push({ s: start, from: covered + 1 });
    covered = start + T;
    if (covered >= n - 1) break;
  }
  for (let b0 = 0; b0 < wins.length; b0 += batchSize) {
    const batch = wins.slice(b0, b0 + batchSize);
    const x = new Int32Array(batch.length * T);
    const y = new Int32Array(batch.length * T);
    batch.forEach((w, i) => {
      for (let j = 0; j < T; j++) {
        x[i * T + j] = tokens[w.s + j]!;
        y[i * T + j] = tokens[w.s + j + 1]!;
      }
    });
    const lp = tf.tidy(() => {
      const { logits } = model.forward(tf.tensor2d(x, [batch.length, T], 'int32'), weights ? { weights } : {});
      const V = model.vocabSize;
      const l = tf.logSoftmax(tf.reshape(logits, [batch.length * T, V]));
      return tf.sum(tf.mul(l, tf.oneHot(tf.tensor1d(y, 'int32'), V)), -1).dataSync() as Float32Array;
    });
    batch.forEach((w, i) => {
      for (let j = 0; j < T; j++) {
        const t = w.s + j + 1;
        if (t >= w.from) emit(t, lp[i * T + j]!);
      }
    });
  }
}
