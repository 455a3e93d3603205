/**
 * The float64 plain-JS MLPs of the lab (no tfjs, no DOM, no I/O). On the 8×8 digits a 64→32→10
 * network is a few thousand multiply-adds per example: tfjs's per-op overhead on wasm (~5 ms a step)
 * would dominate, plain loops take microseconds, and float64 is exact enough for second-order work.
 * Two interfaces over one parameter layout and one affine kernel:
 *
 * 1. flat θ (the optimization lens: curvature, Newton, K-FAC, intrinsic dimension, landscapes, many
 *    seeds): θ = [W0 (in×out row-major), b0, W1, b1, …] — the (in+1)×out block [W; b] of a layer is
 *    contiguous; `forward64` / `backward64` (with dropout masks and the per-layer inputs and output
 *    gradients K-FAC needs), `lossGrad64` (+ L2), float64 optimizers `optStep`, `train64`.
 * 2. `Net64` (the information lens: distillation, the information plane): the same weights as named
 *    arrays `W[l]`, `b[l]` — views into a flat `theta`, so a Net64 can be handed to the flat
 *    functions and a flat θ wrapped as a Net64 (`net64FromFlat`) — with general soft targets:
 *      loss = α·T²·KL(p_T ‖ softmax(z/T)) + (1 − α)·CE(y, softmax(z)),  ∂loss/∂z = α·T·(q_T − p_T) + (1 − α)(q − y),
 *    `forwardNet64`, `lossAndGrad64`, `Adam64`, `trainNet64`, `errors64`.
 * Both forwards run the same `affine64`; the two backward passes are kept exactly as they were
 * written (they differ in where 1/N is applied, so their float64 roundings differ in the last bits),
 * so every number the lenses published before the merge is unchanged.
 * Tests: test/nn/mlp64.test.ts (both against src/nn/mlp.ts's reference and finite differences, and
 * against each other).
 */
import type { Rng } from '../engine/rng.js';
import type { Digits } from '../data/corpora.js';

/** Layer shapes of a fully connected net in the flat layout W0 [in,out] row-major, b0 [out], W1, b1, … */
export function flatLayout(sizes: number[]): { w: number; b: number; din: number; dout: number }[] {
  const out: { w: number; b: number; din: number; dout: number }[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const din = sizes[l]!;
    const dout = sizes[l + 1]!;
    out.push({ w: off, b: off + din * dout, din, dout });
    off += din * dout + dout;
  }
  return out;
}

export function flatCount(sizes: number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  return n;
}

/**
 * s = a·W + b for N rows: a [N, din], W [din, dout] row-major starting at W[wOff], b at B[bOff];
 * returns s [N, dout]. Zero inputs are skipped (ReLU nets have many).
 */
export function affine64(a: ArrayLike<number>, n: number, din: number, dout: number, W: ArrayLike<number>, wOff: number, B: ArrayLike<number>, bOff: number): Float64Array {
  const s = new Float64Array(n * dout);
  for (let r = 0; r < n; r++) {
    const so = r * dout;
    for (let j = 0; j < dout; j++) s[so + j] = B[bOff + j]!;
    for (let i = 0; i < din; i++) {
      const ai = a[r * din + i]!;
      if (ai === 0) continue;
      const wo = wOff + i * dout;
      for (let j = 0; j < dout; j++) s[so + j]! += ai * W[wo + j]!;
    }
  }
  return s;
}

// ─────────────────────────────── 1. flat θ ───────────────────────────────

export type Act = 'tanh' | 'relu';

export interface MlpSpec64 {
  /** layer widths, e.g. [64, 32, 10] */
  sizes: number[];
  activation: Act;
}

/** A batch: x N×C row-major, labels. */
export interface Batch64 {
  x: Float64Array;
  y: Int32Array;
  n: number;
}

export function toBatch(ds: Digits): Batch64 {
  return { x: Float64Array.from(ds.x), y: Int32Array.from(ds.y), n: ds.n };
}

export function subBatch(b: Batch64, idx: ArrayLike<number>, c: number): Batch64 {
  const x = new Float64Array(idx.length * c);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    for (let j = 0; j < c; j++) x[i * c + j] = b.x[r * c + j]!;
    y[i] = b.y[r]!;
  }
  return { x, y, n: idx.length };
}

export function paramCount(spec: MlpSpec64): number {
  return flatCount(spec.sizes);
}

/** Glorot-style init (std √(1/in) for tanh, √(2/in) for relu), zero biases. */
export function initMlp64(spec: MlpSpec64, rng: Rng): Float64Array {
  const theta = new Float64Array(paramCount(spec));
  for (const L of flatLayout(spec.sizes)) {
    const std = Math.sqrt((spec.activation === 'relu' ? 2 : 1) / L.din);
    for (let i = 0; i < L.din * L.dout; i++) theta[L.w + i] = rng.normal() * std;
  }
  return theta;
}

export interface Forward64 {
  /** inputs of each layer: acts[0] = x, acts[l] N×sizes[l] (after dropout) */
  acts: Float64Array[];
  /** hidden activations before dropout (for the derivative), per hidden layer */
  pre: Float64Array[];
  /** dropout multipliers (0 or 1/(1−p)) per hidden layer, or undefined */
  masks: (Float64Array | undefined)[];
  /** softmax probabilities N×K */
  probs: Float64Array;
  n: number;
}

/** Forward pass. `dropout` p > 0 needs an rng (inverted dropout on hidden layers). */
export function forward64(spec: MlpSpec64, theta: Float64Array, b: Batch64, opts: { dropout?: number; rng?: Rng } = {}): Forward64 {
  const layout = flatLayout(spec.sizes);
  const n = b.n;
  const acts: Float64Array[] = [b.x];
  const pre: Float64Array[] = [];
  const masks: (Float64Array | undefined)[] = [];
  let a = b.x;
  let probs: Float64Array = new Float64Array(0);
  layout.forEach((L, l) => {
    const s = affine64(a, n, L.din, L.dout, theta, L.w, theta, L.b);
    if (l + 1 < layout.length) {
      const h = new Float64Array(s.length);
      if (spec.activation === 'tanh') for (let i = 0; i < s.length; i++) h[i] = Math.tanh(s[i]!);
      else for (let i = 0; i < s.length; i++) h[i] = s[i]! > 0 ? s[i]! : 0;
      pre.push(h);
      const p = opts.dropout ?? 0;
      if (p > 0) {
        if (!opts.rng) throw new Error('forward64: dropout needs an rng');
        const m = new Float64Array(s.length);
        const keep = 1 / (1 - p);
        const out = new Float64Array(s.length);
        for (let i = 0; i < s.length; i++) {
          m[i] = opts.rng.next() < p ? 0 : keep;
          out[i] = h[i]! * m[i]!;
        }
        masks.push(m);
        a = out;
      } else {
        masks.push(undefined);
        a = h;
      }
      acts.push(a);
    } else {
      const k = L.dout;
      for (let r = 0; r < n; r++) {
        let mx = -Infinity;
        for (let j = 0; j < k; j++) mx = Math.max(mx, s[r * k + j]!);
        let z = 0;
        for (let j = 0; j < k; j++) {
          const e = Math.exp(s[r * k + j]! - mx);
          s[r * k + j] = e;
          z += e;
        }
        for (let j = 0; j < k; j++) s[r * k + j]! /= z;
      }
      probs = s;
    }
  });
  return { acts, pre, masks, probs, n };
}

/** Mean cross-entropy of the labels under the forward's probabilities. */
export function crossEntropy(f: Forward64, y: Int32Array): number {
  const k = f.probs.length / f.n;
  let s = 0;
  for (let r = 0; r < f.n; r++) s -= Math.log(Math.max(f.probs[r * k + y[r]!]!, 1e-300));
  return s / f.n;
}

/**
 * Backward pass for targets `y`: the gradient of (1/N)Σ CE (times `scale`), and optionally the
 * per-example output gradients δ_l = ∂CE_n/∂s_l [N, out] of every layer (for K-FAC's G factor).
 */
export function backward64(
  spec: MlpSpec64,
  theta: Float64Array,
  f: Forward64,
  y: Int32Array,
  opts: { keepDeltas?: boolean } = {},
): { grad: Float64Array; deltas: Float64Array[] } {
  const layout = flatLayout(spec.sizes);
  const n = f.n;
  const grad = new Float64Array(theta.length);
  const deltas: Float64Array[] = new Array(layout.length);
  const K = layout[layout.length - 1]!.dout;
  // per-example δ at the output: p − onehot
  let d = new Float64Array(n * K);
  for (let r = 0; r < n; r++) for (let j = 0; j < K; j++) d[r * K + j] = f.probs[r * K + j]! - (j === y[r] ? 1 : 0);
  for (let l = layout.length - 1; l >= 0; l--) {
    const L = layout[l]!;
    if (opts.keepDeltas) deltas[l] = d;
    const a = f.acts[l]!;
    for (let r = 0; r < n; r++) {
      const dr = r * L.dout;
      for (let i = 0; i < L.din; i++) {
        const ai = a[r * L.din + i]! / n;
        if (ai === 0) continue;
        const go = L.w + i * L.dout;
        for (let j = 0; j < L.dout; j++) grad[go + j]! += ai * d[dr + j]!;
      }
      for (let j = 0; j < L.dout; j++) grad[L.b + j]! += d[dr + j]! / n;
    }
    if (l > 0) {
      const nd = new Float64Array(n * L.din);
      const h = f.pre[l - 1]!;
      const m = f.masks[l - 1];
      for (let r = 0; r < n; r++) {
        const dr = r * L.dout;
        for (let i = 0; i < L.din; i++) {
          let s = 0;
          const wo = L.w + i * L.dout;
          for (let j = 0; j < L.dout; j++) s += theta[wo + j]! * d[dr + j]!;
          const idx = r * L.din + i;
          if (m) s *= m[idx]!;
          const hv = h[idx]!;
          nd[idx] = spec.activation === 'tanh' ? s * (1 - hv * hv) : hv > 0 ? s : 0;
        }
      }
      d = nd;
    }
  }
  return { grad, deltas };
}

/** Loss (mean CE + λ/2‖θ‖²) and its gradient on a batch, optionally with dropout. */
export function lossGrad64(
  spec: MlpSpec64,
  theta: Float64Array,
  b: Batch64,
  opts: { l2?: number; dropout?: number; rng?: Rng } = {},
): { loss: number; grad: Float64Array } {
  const f = forward64(spec, theta, b, { dropout: opts.dropout, rng: opts.rng });
  const { grad } = backward64(spec, theta, f, b.y);
  let loss = crossEntropy(f, b.y);
  const l2 = opts.l2 ?? 0;
  if (l2 > 0) {
    let sq = 0;
    for (let i = 0; i < theta.length; i++) {
      sq += theta[i]! * theta[i]!;
      grad[i]! += l2 * theta[i]!;
    }
    loss += 0.5 * l2 * sq;
  }
  return { loss, grad };
}

export function accuracy64(spec: MlpSpec64, theta: Float64Array, b: Batch64): number {
  const f = forward64(spec, theta, b);
  const k = f.probs.length / b.n;
  let ok = 0;
  for (let r = 0; r < b.n; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (f.probs[r * k + j]! > f.probs[r * k + best]!) best = j;
    if (best === b.y[r]) ok++;
  }
  return ok / b.n;
}

/** First-order optimizers in float64 (the same update maps as the control lens's references). */
export type Opt64 =
  | { kind: 'sgd' }
  | { kind: 'momentum'; beta: number }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number }
  /** Loshchilov & Hutter 2019: decay applied to θ directly, outside the adaptive step */
  | { kind: 'adamw'; beta1: number; beta2: number; eps: number; weightDecay: number };

export interface OptState64 {
  t: number;
  m: Float64Array;
  v: Float64Array;
}

export function newOptState(n: number): OptState64 {
  return { t: 0, m: new Float64Array(n), v: new Float64Array(n) };
}

/** One update θ ← θ − η·step(g). */
export function optStep(opt: Opt64, st: OptState64, theta: Float64Array, g: Float64Array, lr: number): void {
  st.t++;
  const n = theta.length;
  if (opt.kind === 'sgd') {
    for (let i = 0; i < n; i++) theta[i]! -= lr * g[i]!;
  } else if (opt.kind === 'momentum') {
    for (let i = 0; i < n; i++) {
      st.m[i] = opt.beta * st.m[i]! + g[i]!;
      theta[i]! -= lr * st.m[i]!;
    }
  } else {
    const b1 = opt.beta1;
    const b2 = opt.beta2;
    const c1 = 1 - Math.pow(b1, st.t);
    const c2 = 1 - Math.pow(b2, st.t);
    const wd = opt.kind === 'adamw' ? opt.weightDecay : 0;
    for (let i = 0; i < n; i++) {
      st.m[i] = b1 * st.m[i]! + (1 - b1) * g[i]!;
      st.v[i] = b2 * st.v[i]! + (1 - b2) * g[i]! * g[i]!;
      theta[i]! -= lr * ((st.m[i]! / c1) / (Math.sqrt(st.v[i]! / c2) + opt.eps) + wd * theta[i]!);
    }
  }
}

/** Minibatch training with a float64 optimizer; returns the loss per epoch (mean over its batches). */
export function train64(
  spec: MlpSpec64,
  theta: Float64Array,
  data: Batch64,
  o: { epochs: number; batch: number; lr: number; opt: Opt64; rng: Rng; l2?: number; dropout?: number; onEpoch?: (e: number, loss: number) => void },
): number[] {
  const st = newOptState(theta.length);
  const c = spec.sizes[0]!;
  const losses: number[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const perm = o.rng.permutation(data.n);
    let tot = 0;
    let nb = 0;
    for (let s = 0; s < data.n; s += o.batch) {
      const mb = subBatch(data, perm.subarray(s, Math.min(data.n, s + o.batch)), c);
      const { loss, grad } = lossGrad64(spec, theta, mb, { l2: o.l2, dropout: o.dropout, rng: o.rng });
      optStep(o.opt, st, theta, grad, o.lr);
      tot += loss;
      nb++;
    }
    losses.push(tot / nb);
    o.onEpoch?.(e, tot / nb);
  }
  return losses;
}

// ─────────────────────────────── 2. Net64 (named arrays, soft targets) ───────────────────────────────

export interface Net64 {
  sizes: number[];
  activation: 'relu' | 'tanh';
  /** W[l] [sizes[l]·sizes[l+1]] row-major (input-major), b[l] [sizes[l+1]] — views into `theta` */
  W: Float64Array[];
  b: Float64Array[];
  /** all parameters in the flat layout (W0, b0, W1, b1, …): the same vector the flat-θ functions above take */
  theta: Float64Array;
}

/** A Net64 whose W and b are views into a flat θ (no copy): the adapter between the two interfaces. */
export function net64FromFlat(spec: MlpSpec64, theta: Float64Array): Net64 {
  if (theta.length !== flatCount(spec.sizes)) throw new Error(`net64FromFlat: θ has ${theta.length} entries, the net needs ${flatCount(spec.sizes)}`);
  const W: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (const L of flatLayout(spec.sizes)) {
    W.push(theta.subarray(L.w, L.w + L.din * L.dout));
    b.push(theta.subarray(L.b, L.b + L.dout));
  }
  return { sizes: spec.sizes, activation: spec.activation, W, b, theta };
}

/**
 * He-normal (ReLU) or Glorot-normal (tanh, √(2/(in+out))) weights from `rng.normalArray` (float32
 * draws), zero biases — as in src/nn/mlp.ts. (initMlp64 above draws float64 normals and uses √(1/in)
 * for tanh; both are kept as they were so every earlier number stays the same.)
 */
export function initNet64(sizes: number[], activation: 'relu' | 'tanh', rng: Rng): Net64 {
  const net = net64FromFlat({ sizes, activation }, new Float64Array(flatCount(sizes)));
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fin = sizes[l]!;
    const fout = sizes[l + 1]!;
    const std = activation === 'relu' ? Math.sqrt(2 / fin) : Math.sqrt(2 / (fin + fout));
    net.W[l]!.set(rng.normalArray(fin * fout, std));
  }
  return net;
}

/** Parameters as `src/nn/mlp.ts` names them. */
export function net64Params(net: Net64): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  net.W.forEach((w, l) => {
    out[`fc${l}.weight`] = w;
    out[`fc${l}.bias`] = net.b[l]!;
  });
  return out;
}

/**
 * Forward for N rows of x [N·D]: logits [N·K] and every hidden layer's post-activation [N·C_l].
 */
export function forwardNet64(net: Net64, x: ArrayLike<number>, n: number): { logits: Float64Array; hidden: Float64Array[] } {
  const L = net.W.length;
  const hidden: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (let l = 0; l < L; l++) {
    const fin = net.sizes[l]!;
    const fout = net.sizes[l + 1]!;
    const z = affine64(h, n, fin, fout, net.W[l]!, 0, net.b[l]!, 0);
    if (l === L - 1) return { logits: z, hidden };
    for (let i = 0; i < z.length; i++) z[i] = net.activation === 'relu' ? (z[i]! > 0 ? z[i]! : 0) : Math.tanh(z[i]!);
    hidden.push(z);
    h = z;
  }
  throw new Error('net needs at least one layer');
}

/** Softmax of each row of z [N·K] at temperature T. */
export function softmaxRows(z: ArrayLike<number>, n: number, k: number, T = 1): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[i * k + j]! / T);
    let s = 0;
    for (let j = 0; j < k; j++) s += out[i * k + j] = Math.exp(z[i * k + j]! / T - m);
    for (let j = 0; j < k; j++) out[i * k + j]! /= s;
  }
  return out;
}

export interface LossSpec {
  /** temperature of the soft term */
  T: number;
  /** weight of the soft term; 0 = labels only */
  alpha: number;
}

/**
 * Loss (mean over rows) and gradients for a batch. x [N·D], labels [N], soft [N·K] (p_T; only read
 * when alpha > 0). Returns dW, db shaped like the net.
 */
export function lossAndGrad64(
  net: Net64,
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  soft: ArrayLike<number> | undefined,
  n: number,
  loss: LossSpec,
): { loss: number; dW: Float64Array[]; db: Float64Array[] } {
  const L = net.W.length;
  const K = net.sizes[L]!;
  const { logits, hidden } = forwardNet64(net, x, n);
  const q = softmaxRows(logits, n, K, 1);
  const qT = loss.alpha > 0 ? softmaxRows(logits, n, K, loss.T) : q;
  let total = 0;
  let delta = new Float64Array(n * K); // ∂loss/∂z
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    for (let j = 0; j < K; j++) {
      let g = 0;
      if (loss.alpha < 1) g += (1 - loss.alpha) * (q[i * K + j]! - (j === y ? 1 : 0));
      if (loss.alpha > 0) g += loss.alpha * loss.T * (qT[i * K + j]! - soft![i * K + j]!);
      delta[i * K + j] = g / n;
    }
    if (loss.alpha < 1) total -= (1 - loss.alpha) * Math.log(Math.max(q[i * K + y]!, 1e-300));
    if (loss.alpha > 0)
      for (let j = 0; j < K; j++) {
        const p = soft![i * K + j]!;
        if (p > 0) total += loss.alpha * loss.T * loss.T * p * Math.log(p / Math.max(qT[i * K + j]!, 1e-300));
      }
  }
  const dW: Float64Array[] = net.W.map((w) => new Float64Array(w.length));
  const db: Float64Array[] = net.b.map((b) => new Float64Array(b.length));
  for (let l = L - 1; l >= 0; l--) {
    const fin = net.sizes[l]!;
    const fout = net.sizes[l + 1]!;
    const input = l === 0 ? x : hidden[l - 1]!;
    const W = net.W[l]!;
    const gW = dW[l]!;
    const gb = db[l]!;
    const prev = l > 0 ? new Float64Array(n * fin) : undefined;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fout; j++) gb[j]! += delta[i * fout + j]!;
      for (let k = 0; k < fin; k++) {
        const a = input[i * fin + k]!;
        let back = 0;
        const wk = k * fout;
        for (let j = 0; j < fout; j++) {
          const d = delta[i * fout + j]!;
          gW[wk + j]! += a * d;
          back += W[wk + j]! * d;
        }
        if (prev) prev[i * fin + k] = back;
      }
    }
    if (prev) {
      const h = hidden[l - 1]!;
      for (let i = 0; i < prev.length; i++) prev[i]! *= net.activation === 'relu' ? (h[i]! > 0 ? 1 : 0) : 1 - h[i]! * h[i]!;
      delta = prev;
    }
  }
  return { loss: total / n, dW, db };
}

/** Adam state for a Net64. */
export class Adam64 {
  private m: Float64Array[];
  private v: Float64Array[];
  private t = 0;
  constructor(
    net: Net64,
    private readonly lr = 1e-3,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    const all = [...net.W, ...net.b];
    this.m = all.map((a) => new Float64Array(a.length));
    this.v = all.map((a) => new Float64Array(a.length));
  }
  step(net: Net64, dW: Float64Array[], db: Float64Array[]): void {
    this.t++;
    const params = [...net.W, ...net.b];
    const grads = [...dW, ...db];
    const c1 = 1 - Math.pow(this.b1, this.t);
    const c2 = 1 - Math.pow(this.b2, this.t);
    for (let p = 0; p < params.length; p++) {
      const w = params[p]!;
      const g = grads[p]!;
      const m = this.m[p]!;
      const v = this.v[p]!;
      for (let i = 0; i < w.length; i++) {
        m[i] = this.b1 * m[i]! + (1 - this.b1) * g[i]!;
        v[i] = this.b2 * v[i]! + (1 - this.b2) * g[i]! * g[i]!;
        w[i]! -= (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + this.eps);
      }
    }
  }
}

export interface TrainNet64Options {
  epochs: number;
  batchSize: number;
  lr: number;
  rng: Rng;
  loss?: LossSpec;
  /** soft targets p_T [N·K] when loss.alpha > 0 */
  soft?: ArrayLike<number>;
  /** after each epoch; return true to stop */
  onEpoch?: (epoch: number, meanLoss: number) => boolean | void | Promise<boolean | void>;
}

/** Minibatch Adam training in place. x [N·D], labels [N]. */
export async function trainNet64(net: Net64, x: ArrayLike<number>, labels: ArrayLike<number>, opts: TrainNet64Options): Promise<void> {
  const D = net.sizes[0]!;
  const K = net.sizes[net.sizes.length - 1]!;
  const n = labels.length;
  const adam = new Adam64(net, opts.lr);
  const loss = opts.loss ?? { T: 1, alpha: 0 };
  const xb = new Float64Array(opts.batchSize * D);
  const yb = new Int32Array(opts.batchSize);
  const sb = new Float64Array(opts.batchSize * K);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const perm = opts.rng.permutation(n);
    let sum = 0;
    let batches = 0;
    for (let s = 0; s < n; s += opts.batchSize) {
      const m = Math.min(opts.batchSize, n - s);
      for (let i = 0; i < m; i++) {
        const r = perm[s + i]!;
        for (let j = 0; j < D; j++) xb[i * D + j] = x[r * D + j]!;
        yb[i] = labels[r]!;
        if (loss.alpha > 0) for (let j = 0; j < K; j++) sb[i * K + j] = opts.soft![r * K + j]!;
      }
      const g = lossAndGrad64(net, xb.subarray(0, m * D), yb.subarray(0, m), loss.alpha > 0 ? sb.subarray(0, m * K) : undefined, m, loss);
      adam.step(net, g.dW, g.db);
      sum += g.loss;
      batches++;
    }
    if ((await opts.onEpoch?.(epoch, sum / batches)) === true) break;
  }
}

/** Errors (argmax ≠ label) of the net on x [N·D]. */
export function errors64(net: Net64, x: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const K = net.sizes[net.sizes.length - 1]!;
  const { logits } = forwardNet64(net, x, n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < K; j++) if (logits[i * K + j]! > logits[i * K + best]!) best = j;
    if (best !== labels[i]) e++;
  }
  return e;
}
