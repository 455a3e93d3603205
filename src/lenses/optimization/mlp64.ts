/**
 * A float64 plain-JS MLP for the optimization lens: the same flat layout as `curvature.ts`
 * (W0 [in,out] row-major, b0, W1, b1, …; the (in+1)×out block [W; b] of a layer is contiguous),
 * forward and backward by hand, dropout masks, and the per-layer inputs and output gradients
 * K-FAC needs. Exact in float64, deterministic, and fast enough for 8×8 digits; the tfjs MLP of
 * `src/nn/mlp.ts` is the shared one, this one is what the second-order and many-seed experiments
 * can afford to run hundreds of times.
 */
import type { Rng } from '../../engine/rng.js';
import type { Digits } from '../../data/corpora.js';
import { flatCount, flatLayout } from './curvature.js';

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
  let probs = new Float64Array(0);
  layout.forEach((L, l) => {
    const s = new Float64Array(n * L.dout);
    for (let r = 0; r < n; r++) {
      const so = r * L.dout;
      for (let j = 0; j < L.dout; j++) s[so + j] = theta[L.b + j]!;
      for (let i = 0; i < L.din; i++) {
        const ai = a[r * L.din + i]!;
        if (ai === 0) continue;
        const wo = L.w + i * L.dout;
        for (let j = 0; j < L.dout; j++) s[so + j]! += ai * theta[wo + j]!;
      }
    }
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
