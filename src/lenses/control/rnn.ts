/**
 * A small vanilla RNN with hand-written backpropagation through time, in float64 (control lens,
 * gradient-clipping experiment; Pascanu, Mikolov & Bengio 2013).
 *
 *   h_t = tanh(W_xh x_t + W_hh h_{t−1} + b_h),  h_0 = 0          x_t: [I], h_t: [H]
 *   ŷ   = W_hy h_T + b_y                                           ŷ: scalar
 *   L   = mean over the batch of ½(ŷ − y)²
 *
 * Parameters live in one flat Float64Array (layout below) so optimizers and clipping see one vector.
 * The adding problem (Hochreiter & Schmidhuber 1997): inputs (value ∈ U[0,1], marker ∈ {0,1}) over T
 * steps, two markers, the target is the sum of the two marked values.
 */
import type { Rng } from '../../engine/rng.js';

export interface RnnShape {
  I: number;
  H: number;
}

export function rnnLayout(s: RnnShape): { Wxh: number; Whh: number; bh: number; Why: number; by: number; size: number } {
  const Wxh = 0;
  const Whh = Wxh + s.H * s.I;
  const bh = Whh + s.H * s.H;
  const Why = bh + s.H;
  const by = Why + s.H;
  return { Wxh, Whh, bh, Why, by, size: by + 1 };
}

/** Init: W_hh = gain × a random orthogonal matrix (its spectral radius is `gain`), W_xh, W_hy ~ N(0, 1/fan_in). */
export function initRnn(s: RnnShape, gain: number, rng: Rng): Float64Array {
  const L = rnnLayout(s);
  const p = new Float64Array(L.size);
  for (let i = 0; i < s.H * s.I; i++) p[L.Wxh + i] = rng.normal(0, 1 / Math.sqrt(s.I));
  // orthogonal by Gram–Schmidt on rows
  const H = s.H;
  const Q = new Float64Array(H * H);
  for (let r = 0; r < H; r++) {
    const v = Float64Array.from(rng.normalArray(H));
    for (let k = 0; k < r; k++) {
      let d = 0;
      for (let j = 0; j < H; j++) d += v[j]! * Q[k * H + j]!;
      for (let j = 0; j < H; j++) v[j]! -= d * Q[k * H + j]!;
    }
    const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    for (let j = 0; j < H; j++) Q[r * H + j] = v[j]! / n;
  }
  for (let i = 0; i < H * H; i++) p[L.Whh + i] = gain * Q[i]!;
  for (let i = 0; i < H; i++) p[L.Why + i] = rng.normal(0, 1 / Math.sqrt(H));
  return p;
}

/** A batch of the adding problem: x [B, T, 2] row-major, y [B]. */
export function addingBatch(B: number, T: number, rng: Rng): { x: Float64Array; y: Float64Array; B: number; T: number } {
  const x = new Float64Array(B * T * 2);
  const y = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const i = rng.int(Math.floor(T / 2));
    let j = Math.floor(T / 2) + rng.int(T - Math.floor(T / 2));
    if (j === i) j = (j + 1) % T;
    for (let t = 0; t < T; t++) {
      const v = rng.next();
      x[(b * T + t) * 2] = v;
      if (t === i || t === j) {
        x[(b * T + t) * 2 + 1] = 1;
        y[b]! += v;
      }
    }
  }
  return { x, y, B, T };
}

/** Loss and gradient (flat, same layout as p) by BPTT. */
export function rnnLossGrad(s: RnnShape, p: Float64Array, batch: { x: Float64Array; y: Float64Array; B: number; T: number }): { loss: number; grad: Float64Array } {
  const { I, H } = s;
  const { B, T, x, y } = batch;
  const L = rnnLayout(s);
  const g = new Float64Array(L.size);
  let loss = 0;
  const hs = new Float64Array((T + 1) * H);
  const dh = new Float64Array(H);
  const da = new Float64Array(H);
  for (let b = 0; b < B; b++) {
    hs.fill(0);
    for (let t = 1; t <= T; t++) {
      for (let i = 0; i < H; i++) {
        let a = p[L.bh + i]!;
        for (let k = 0; k < I; k++) a += p[L.Wxh + i * I + k]! * x[(b * T + t - 1) * I + k]!;
        for (let j = 0; j < H; j++) a += p[L.Whh + i * H + j]! * hs[(t - 1) * H + j]!;
        hs[t * H + i] = Math.tanh(a);
      }
    }
    let yhat = p[L.by]!;
    for (let i = 0; i < H; i++) yhat += p[L.Why + i]! * hs[T * H + i]!;
    const e = yhat - y[b]!;
    loss += (0.5 * e * e) / B;
    const dy = e / B;
    g[L.by]! += dy;
    for (let i = 0; i < H; i++) {
      g[L.Why + i]! += dy * hs[T * H + i]!;
      dh[i] = dy * p[L.Why + i]!;
    }
    for (let t = T; t >= 1; t--) {
      for (let i = 0; i < H; i++) da[i] = dh[i]! * (1 - hs[t * H + i]! ** 2);
      for (let i = 0; i < H; i++) {
        g[L.bh + i]! += da[i]!;
        for (let k = 0; k < I; k++) g[L.Wxh + i * I + k]! += da[i]! * x[(b * T + t - 1) * I + k]!;
        for (let j = 0; j < H; j++) g[L.Whh + i * H + j]! += da[i]! * hs[(t - 1) * H + j]!;
      }
      for (let j = 0; j < H; j++) {
        let s2 = 0;
        for (let i = 0; i < H; i++) s2 += p[L.Whh + i * H + j]! * da[i]!;
        dh[j] = s2;
      }
    }
  }
  return { loss, grad: g };
}

/**
 * Pascanu et al.'s one-neuron RNN: x_t = w·σ(x_{t−1}) + b, x_0 = 0.5, loss (x_T − target)²; with its
 * gradient in (w, b) by BPTT. Its loss surface has a cliff where the map bifurcates.
 */
export function oneNeuron(w: number, b: number, T: number, target: number): { loss: number; dw: number; db: number } {
  const xs = new Float64Array(T + 1);
  xs[0] = 0.5;
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  for (let t = 1; t <= T; t++) xs[t] = w * sig(xs[t - 1]!) + b;
  const e = xs[T]! - target;
  let dx = 2 * e;
  let dw = 0;
  let db = 0;
  for (let t = T; t >= 1; t--) {
    const s = sig(xs[t - 1]!);
    dw += dx * s;
    db += dx;
    dx = dx * w * s * (1 - s);
  }
  return { loss: e * e, dw, db };
}
