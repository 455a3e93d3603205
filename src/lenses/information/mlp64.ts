/**
 * A plain-JS float64 MLP for the information lens's many small trainings (distillation over seeds
 * and temperatures, the information plane epoch by epoch). On the 8×8 digits a 64→32→10 network is
 * a few thousand multiply-adds per example: tfjs's per-op overhead on wasm (~5 ms a step) would
 * dominate, plain loops take microseconds. Same parameter layout and naming as `src/nn/mlp.ts`
 * (`fc{l}.weight` [in, out] row-major, `fc{l}.bias` [out]); a test checks this forward against
 * that file's reference and the backward pass against finite differences.
 *
 * Targets are general: each row of `targets` is a distribution over the K classes, so the same
 * step does one-hot labels (cross-entropy) and distillation (soft targets at temperature T):
 *   loss = α·T²·KL(p_T ‖ softmax(z/T)) + (1 − α)·CE(y, softmax(z)),  ∂loss/∂z = α·T·(q_T − p_T) + (1 − α)(q − y).
 */
import type { Rng } from '../../engine/rng.js';

export interface Net64 {
  sizes: number[];
  activation: 'relu' | 'tanh';
  /** W[l] [sizes[l]·sizes[l+1]] row-major (input-major), b[l] [sizes[l+1]] */
  W: Float64Array[];
  b: Float64Array[];
}

/** He-normal (ReLU) or Glorot-normal (tanh) weights from the rng, zero biases — as in src/nn/mlp.ts. */
export function initNet64(sizes: number[], activation: 'relu' | 'tanh', rng: Rng): Net64 {
  const W: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fin = sizes[l]!;
    const fout = sizes[l + 1]!;
    const std = activation === 'relu' ? Math.sqrt(2 / fin) : Math.sqrt(2 / (fin + fout));
    W.push(Float64Array.from(rng.normalArray(fin * fout, std)));
    b.push(new Float64Array(fout));
  }
  return { sizes, activation, W, b };
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
export function forward64(net: Net64, x: ArrayLike<number>, n: number): { logits: Float64Array; hidden: Float64Array[] } {
  const L = net.W.length;
  const hidden: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (let l = 0; l < L; l++) {
    const fin = net.sizes[l]!;
    const fout = net.sizes[l + 1]!;
    const W = net.W[l]!;
    const z = new Float64Array(n * fout);
    for (let i = 0; i < n; i++) {
      const zi = i * fout;
      for (let j = 0; j < fout; j++) z[zi + j] = net.b[l]![j]!;
      for (let k = 0; k < fin; k++) {
        const a = h[i * fin + k]!;
        if (a === 0) continue;
        const wk = k * fout;
        for (let j = 0; j < fout; j++) z[zi + j]! += a * W[wk + j]!;
      }
    }
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
  const { logits, hidden } = forward64(net, x, n);
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

export interface Train64Options {
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
export async function train64(net: Net64, x: ArrayLike<number>, labels: ArrayLike<number>, opts: Train64Options): Promise<void> {
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
  const { logits } = forward64(net, x, n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < K; j++) if (logits[i * K + j]! > logits[i * K + best]!) best = j;
    if (best !== labels[i]) e++;
  }
  return e;
}
