/**
 * Multinomial logistic regression in float64 plain JS, with its gradient, Hessian-vector product
 * and full Hessian in closed form — the exact outside reference for the tfjs curvature tools and
 * the problem on which Newton is compared with first-order methods.
 *
 *   L(θ) = −(1/N) Σ_n log softmax(x̄_n W)_{y_n} + (λ/2)‖θ‖²,   x̄ = [x, 1],  W of shape (C+1)×K
 *   ∇L   = (1/N) X̄ᵀ(P − Y) + λθ
 *   H    = (1/N) Σ_n (diag p_n − p_n p_nᵀ) ⊗ x̄_n x̄_nᵀ + λI      (entry ((i,k),(j,l)))
 *
 * θ is W row-major, the bias as the last row — the same layout as a one-layer `flatLayout`.
 */

export interface LogRegData {
  /** N×C row-major features */
  x: Float64Array;
  /** N labels in 0..K−1 */
  y: Int32Array;
  n: number;
  /** C, features (the bias is added inside) */
  c: number;
  /** K, classes */
  k: number;
}

export function logregParamCount(d: LogRegData): number {
  return (d.c + 1) * d.k;
}

/** Class probabilities P [N,K] at θ. */
export function logregProbs(d: LogRegData, theta: Float64Array): Float64Array {
  const { x, n, c, k } = d;
  const p = new Float64Array(n * k);
  const bias = c * k;
  for (let r = 0; r < n; r++) {
    const pr = r * k;
    for (let j = 0; j < k; j++) p[pr + j] = theta[bias + j]!;
    for (let i = 0; i < c; i++) {
      const xi = x[r * c + i]!;
      if (xi === 0) continue;
      const o = i * k;
      for (let j = 0; j < k; j++) p[pr + j]! += xi * theta[o + j]!;
    }
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, p[pr + j]!);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(p[pr + j]! - m);
      p[pr + j] = e;
      s += e;
    }
    for (let j = 0; j < k; j++) p[pr + j]! /= s;
  }
  return p;
}

/** Loss and gradient at θ. */
export function logregLossGrad(d: LogRegData, theta: Float64Array, l2: number): { loss: number; grad: Float64Array } {
  const { x, y, n, c, k } = d;
  const p = logregProbs(d, theta);
  const g = new Float64Array((c + 1) * k);
  let loss = 0;
  const r = new Float64Array(k);
  for (let s = 0; s < n; s++) {
    const ps = s * k;
    loss -= Math.log(Math.max(p[ps + y[s]!]!, 1e-300));
    for (let j = 0; j < k; j++) r[j] = (p[ps + j]! - (j === y[s] ? 1 : 0)) / n;
    for (let i = 0; i < c; i++) {
      const xi = x[s * c + i]!;
      if (xi === 0) continue;
      const o = i * k;
      for (let j = 0; j < k; j++) g[o + j]! += xi * r[j]!;
    }
    for (let j = 0; j < k; j++) g[c * k + j]! += r[j]!;
  }
  let sq = 0;
  for (let i = 0; i < g.length; i++) {
    g[i]! += l2 * theta[i]!;
    sq += theta[i]! * theta[i]!;
  }
  return { loss: loss / n + 0.5 * l2 * sq, grad: g };
}

/** Hv in closed form: (1/N) X̄ᵀ[P∘(X̄V) − P∘rowsum(P∘X̄V)] + λv. Cost O(N·C·K). */
export function logregHvp(d: LogRegData, theta: Float64Array, l2: number, p?: Float64Array): (v: Float64Array) => Float64Array {
  const { x, n, c, k } = d;
  const probs = p ?? logregProbs(d, theta);
  return (v) => {
    const out = new Float64Array((c + 1) * k);
    const u = new Float64Array(k);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < k; j++) u[j] = v[c * k + j]!;
      for (let i = 0; i < c; i++) {
        const xi = x[s * c + i]!;
        if (xi === 0) continue;
        for (let j = 0; j < k; j++) u[j]! += xi * v[i * k + j]!;
      }
      let m = 0;
      for (let j = 0; j < k; j++) m += probs[s * k + j]! * u[j]!;
      for (let j = 0; j < k; j++) u[j] = (probs[s * k + j]! * (u[j]! - m)) / n;
      for (let i = 0; i < c; i++) {
        const xi = x[s * c + i]!;
        if (xi === 0) continue;
        for (let j = 0; j < k; j++) out[i * k + j]! += xi * u[j]!;
      }
      for (let j = 0; j < k; j++) out[c * k + j]! += u[j]!;
    }
    for (let i = 0; i < out.length; i++) out[i]! += l2 * v[i]!;
    return out;
  };
}

/**
 * The full Hessian, n = (C+1)K, row-major. Built block by block: for each class pair (k, l) the
 * (C+1)×(C+1) block X̄ᵀ diag(a^{kl}) X̄ with a^{kl}_n = p_nk(δ_kl − p_nl)/N. Cost ~N n²/2.
 */
export function logregHessian(d: LogRegData, theta: Float64Array, l2: number): Float64Array {
  const { x, n, c, k } = d;
  const c1 = c + 1;
  const dim = c1 * k;
  const p = logregProbs(d, theta);
  const h = new Float64Array(dim * dim);
  const xb = new Float64Array(c1);
  const a = new Float64Array(k * k);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < c; i++) xb[i] = x[s * c + i]!;
    xb[c] = 1;
    for (let kk = 0; kk < k; kk++)
      for (let ll = 0; ll < k; ll++) a[kk * k + ll] = (p[s * k + kk]! * ((kk === ll ? 1 : 0) - p[s * k + ll]!)) / n;
    // H[(i,kk),(j,ll)] += xb_i xb_j a[kk,ll]; fill the lower triangle in (i,j) then mirror
    for (let i = 0; i < c1; i++) {
      const xi = xb[i]!;
      if (xi === 0) continue;
      for (let j = 0; j <= i; j++) {
        const xij = xi * xb[j]!;
        if (xij === 0) continue;
        for (let kk = 0; kk < k; kk++) {
          const row = (i * k + kk) * dim + j * k;
          const ak = kk * k;
          for (let ll = 0; ll < k; ll++) h[row + ll]! += xij * a[ak + ll]!;
        }
      }
    }
  }
  // mirror (i,j) blocks: H[(j,ll),(i,kk)] = H[(i,kk),(j,ll)]
  for (let i = 0; i < c1; i++)
    for (let j = 0; j < i; j++)
      for (let kk = 0; kk < k; kk++)
        for (let ll = 0; ll < k; ll++) h[(j * k + ll) * dim + i * k + kk] = h[(i * k + kk) * dim + j * k + ll]!;
  for (let i = 0; i < dim; i++) h[i * dim + i]! += l2;
  return h;
}

/** Share of rows whose arg-max class is the label. */
export function logregAccuracy(d: LogRegData, theta: Float64Array): number {
  const p = logregProbs(d, theta);
  let ok = 0;
  for (let s = 0; s < d.n; s++) {
    let best = 0;
    for (let j = 1; j < d.k; j++) if (p[s * d.k + j]! > p[s * d.k + best]!) best = j;
    if (best === d.y[s]) ok++;
  }
  return ok / d.n;
}
