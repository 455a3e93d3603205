/**
 * K-FAC (Martens & Grosse 2015) for the float64 MLP of `mlp64.ts`.
 *
 * For a layer s = ā W̄ with ā = [a, 1] (B×(in+1)) and W̄ = [W; b] ((in+1)×out), the Fisher block of
 * vec(W̄) is E[(ā āᵀ) ⊗ (δ δᵀ)] with δ = ∂(−log p(ŷ|x))/∂s for labels ŷ sampled from the model.
 * K-FAC assumes the activations and the back-propagated signals are independent, so the block
 * factorises as A ⊗ G with A = E[ā āᵀ] and G = E[δ δᵀ]; then (A ⊗ G)⁻¹ vec(V) = vec(A⁻¹ V G⁻¹),
 * two inverses of sizes in+1 and out instead of one of size (in+1)·out.
 *
 * Kept from the paper: sampled-label Fisher, exponential running averages of A and G, factored
 * Tikhonov damping (A + π√γ I, G + √γ/π I with π = √((tr A/dim A)/(tr G/dim G))), inverses
 * refreshed every few steps, and the KL-norm step clip of Ba, Grosse & Martens 2017.
 * Left out: the adaptive γ (Levenberg–Marquardt rule), the quadratic-model learning rate and
 * momentum, and the block-tridiagonal variant.
 */
import type { Rng } from '../../engine/rng.js';
import { flatLayout } from './curvature.js';
import { spdInverse } from './linalg.js';
import { backward64, crossEntropy, forward64, type Batch64, type MlpSpec64 } from '../../nn/mlp64.js';

/** A = āᵀā/B with ā = [a, 1] ((in+1)×(in+1)), from a B×in activation matrix. */
export function factorA(a: Float64Array, b: number, din: number): Float64Array {
  const d1 = din + 1;
  const A = new Float64Array(d1 * d1);
  const row = new Float64Array(d1);
  for (let r = 0; r < b; r++) {
    for (let i = 0; i < din; i++) row[i] = a[r * din + i]!;
    row[din] = 1;
    for (let i = 0; i < d1; i++) {
      const ri = row[i]! / b;
      if (ri === 0) continue;
      for (let j = 0; j <= i; j++) A[i * d1 + j]! += ri * row[j]!;
    }
  }
  for (let i = 0; i < d1; i++) for (let j = 0; j < i; j++) A[j * d1 + i] = A[i * d1 + j]!;
  return A;
}

/** G = δᵀδ/B (out×out) from B×out per-example output gradients. */
export function factorG(d: Float64Array, b: number, dout: number): Float64Array {
  const G = new Float64Array(dout * dout);
  for (let r = 0; r < b; r++)
    for (let i = 0; i < dout; i++) {
      const di = d[r * dout + i]! / b;
      for (let j = 0; j <= i; j++) G[i * dout + j]! += di * d[r * dout + j]!;
    }
  for (let i = 0; i < dout; i++) for (let j = 0; j < i; j++) G[j * dout + i] = G[i * dout + j]!;
  return G;
}

/** (A ⊗ G)⁻¹ vec(V) = vec(A⁻¹ V G⁻¹) for V (p×q) row-major, given the inverses. */
export function kronSolve(Ainv: Float64Array, V: Float64Array, Ginv: Float64Array, p: number, q: number): Float64Array {
  const T = new Float64Array(p * q);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const a = Ainv[i * p + k]!;
      if (a === 0) continue;
      for (let j = 0; j < q; j++) T[i * q + j]! += a * V[k * q + j]!;
    }
  const out = new Float64Array(p * q);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < q; k++) {
      const t = T[i * q + k]!;
      if (t === 0) continue;
      for (let j = 0; j < q; j++) out[i * q + j]! += t * Ginv[k * q + j]!;
    }
  return out;
}

/** Labels sampled from the model's predictive distribution (for the true Fisher). */
export function sampleLabels(probs: Float64Array, n: number, k: number, rng: Rng): Int32Array {
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let u = rng.next();
    let j = 0;
    for (; j < k - 1; j++) {
      u -= probs[r * k + j]!;
      if (u < 0) break;
    }
    y[r] = j;
  }
  return y;
}

export interface KfacOptions {
  lr: number;
  /** γ, Tikhonov damping */
  damping: number;
  /** ε, running-average decay of A and G */
  decay: number;
  /** refresh the inverses every this many steps */
  invEvery: number;
  /** KL clip c: scale the step so that η²·Σ Δ·∇ ≤ c (Ba et al. 2017); 0 disables */
  klClip: number;
  l2?: number;
}

export interface KfacState {
  A: Float64Array[];
  G: Float64Array[];
  Ainv: Float64Array[];
  Ginv: Float64Array[];
  t: number;
}

export function newKfacState(): KfacState {
  return { A: [], G: [], Ainv: [], Ginv: [], t: 0 };
}

/** One K-FAC step on a minibatch; returns the minibatch loss before the step. */
export function kfacStep(spec: MlpSpec64, theta: Float64Array, b: Batch64, st: KfacState, o: KfacOptions, rng: Rng): number {
  const layout = flatLayout(spec.sizes);
  const K = spec.sizes[spec.sizes.length - 1]!;
  const f = forward64(spec, theta, b);
  const loss = crossEntropy(f, b.y);
  const { grad } = backward64(spec, theta, f, b.y);
  const l2 = o.l2 ?? 0;
  if (l2 > 0) for (let i = 0; i < theta.length; i++) grad[i]! += l2 * theta[i]!;
  const ys = sampleLabels(f.probs, b.n, K, rng);
  const { deltas } = backward64(spec, theta, f, ys, { keepDeltas: true });
  const first = st.t === 0;
  const refresh = first || st.t % o.invEvery === 0;
  const steps: Float64Array[] = [];
  let quad = 0;
  layout.forEach((L, l) => {
    const Ab = factorA(f.acts[l]!, b.n, L.din);
    const Gb = factorG(deltas[l]!, b.n, L.dout);
    if (first) {
      st.A[l] = Ab;
      st.G[l] = Gb;
    } else {
      const A = st.A[l]!;
      const G = st.G[l]!;
      for (let i = 0; i < A.length; i++) A[i] = o.decay * A[i]! + (1 - o.decay) * Ab[i]!;
      for (let i = 0; i < G.length; i++) G[i] = o.decay * G[i]! + (1 - o.decay) * Gb[i]!;
    }
    const p = L.din + 1;
    const q = L.dout;
    if (refresh) {
      const A = st.A[l]!;
      const G = st.G[l]!;
      let trA = 0;
      let trG = 0;
      for (let i = 0; i < p; i++) trA += A[i * p + i]!;
      for (let i = 0; i < q; i++) trG += G[i * q + i]!;
      const pi = Math.sqrt(trA / p / Math.max(trG / q, 1e-30));
      const sg = Math.sqrt(o.damping);
      const Ad = Float64Array.from(A);
      const Gd = Float64Array.from(G);
      for (let i = 0; i < p; i++) Ad[i * p + i]! += pi * sg;
      for (let i = 0; i < q; i++) Gd[i * q + i]! += sg / pi;
      st.Ainv[l] = spdInverse(Ad, p);
      st.Ginv[l] = spdInverse(Gd, q);
    }
    // the (in+1)×out block [W; b] is contiguous at L.w in the flat layout
    const V = grad.subarray(L.w, L.w + p * q);
    const d = kronSolve(st.Ainv[l]!, V, st.Ginv[l]!, p, q);
    for (let i = 0; i < d.length; i++) quad += d[i]! * V[i]!;
    steps.push(d);
  });
  let scale = 1;
  if (o.klClip > 0 && quad > 0) scale = Math.min(1, Math.sqrt(o.klClip / (o.lr * o.lr * quad)));
  layout.forEach((L, l) => {
    const d = steps[l]!;
    for (let i = 0; i < d.length; i++) theta[L.w + i]! -= o.lr * scale * d[i]!;
  });
  st.t++;
  return loss;
}
