/**
 * Compressed-sensing algorithms in plain float64 JavaScript (no tfjs: the problems are small and
 * exactness matters more than speed). A is m×n, row-major in a Float64Array; y has m entries,
 * x has n. Every recovery function returns the estimate x̂ (length n).
 *
 * - OMP (Pati et al. 1993; Tropp & Gilbert 2007): greedy, one column per step, least squares on the
 *   chosen columns kept orthonormal by modified Gram–Schmidt.
 * - ISTA / FISTA (Beck & Teboulle 2009) for the LASSO ½‖Ax−y‖² + λ‖x‖₁, with λ-continuation so that
 *   the final λ is tiny and the solution approaches basis pursuit (min ‖x‖₁ s.t. Ax = y).
 * - Normalised IHT (Blumensath & Davies 2010): x ← H_k(x + μ Aᵀ(y − Ax)) with an adaptive step.
 * - The Donoho–Tanner ℓ1 phase transition, computed (see {@link l1PhaseTransition}).
 */
import type { Rng } from '../../engine/rng.js';

/** A dense m×n matrix, row-major. */
export interface Mat {
  m: number;
  n: number;
  a: Float64Array;
}

/** m×n with i.i.d. N(0, 1/m) entries (columns have unit norm on average). */
export function gaussianMatrix(m: number, n: number, rng: Rng): Mat {
  const a = new Float64Array(m * n);
  const s = 1 / Math.sqrt(m);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * s;
  return { m, n, a };
}

/** A k-sparse vector of length n: random support, N(0,1) (signed) or |N(0,1)| values. */
export function sparseSignal(n: number, k: number, rng: Rng, nonnegative = false): Float64Array {
  const x = new Float64Array(n);
  const perm = rng.permutation(n);
  for (let i = 0; i < k; i++) {
    const v = rng.normal();
    x[perm[i]!] = nonnegative ? Math.abs(v) : v;
  }
  return x;
}

/** y = A x (length m). */
export function matVec(A: Mat, x: Float64Array): Float64Array {
  const { m, n, a } = A;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += a[o + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** g = Aᵀ r (length n). */
export function matTVec(A: Mat, r: Float64Array): Float64Array {
  const { m, n, a } = A;
  const g = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const ri = r[i]!;
    if (ri === 0) continue;
    const o = i * n;
    for (let j = 0; j < n; j++) g[j] = g[j]! + a[o + j]! * ri;
  }
  return g;
}

export function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** ‖x̂ − x‖ / ‖x‖ (or ‖x̂‖ when x = 0). */
export function relError(xhat: Float64Array, x: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (xhat[i]! - x[i]!) ** 2;
    den += x[i]! ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}

/** Largest singular value squared of A (power iteration on AᵀA), the Lipschitz constant of ∇½‖Ax−y‖². */
export function spectralNormSq(A: Mat, iters = 40): number {
  let v: Float64Array = new Float64Array(A.n).fill(1 / Math.sqrt(A.n));
  let lam = 0;
  for (let t = 0; t < iters; t++) {
    const w = matTVec(A, matVec(A, v));
    lam = norm2(w);
    if (lam === 0) return 0;
    for (let j = 0; j < w.length; j++) w[j] = w[j]! / lam;
    v = w;
  }
  return lam;
}

// ---------------------------------------------------------------------------------------------
// OMP

export interface OmpOptions {
  /** maximum number of atoms (the sparsity, if known); default m */
  maxAtoms?: number;
  /** stop when ‖r‖ ≤ tol·‖y‖ */
  tol?: number;
}

/**
 * Orthogonal matching pursuit. At each step pick the column most correlated with the residual,
 * orthogonalise it against the chosen ones (modified Gram–Schmidt, twice for stability) and
 * remove its component from the residual; at the end solve R c = Qᵀy for the coefficients.
 */
export function omp(A: Mat, y: Float64Array, opts: OmpOptions = {}): Float64Array {
  const { m, n, a } = A;
  const maxAtoms = Math.min(opts.maxAtoms ?? m, m, n);
  const tol = opts.tol ?? 1e-10;
  const ynorm = norm2(y);
  const r = Float64Array.from(y);
  const Q: Float64Array[] = []; // orthonormal columns, each length m
  const R: number[][] = []; // upper triangular, R[i][j] for i ≤ j (column j of chosen set)
  const support: number[] = [];
  const chosen = new Uint8Array(n);
  const col = new Float64Array(m);
  while (support.length < maxAtoms && norm2(r) > tol * ynorm) {
    const g = matTVec(A, r);
    let best = -1;
    let bestVal = -1;
    for (let j = 0; j < n; j++) {
      if (chosen[j]) continue;
      const v = Math.abs(g[j]!);
      if (v > bestVal) {
        bestVal = v;
        best = j;
      }
    }
    if (best < 0) break;
    for (let i = 0; i < m; i++) col[i] = a[i * n + best]!;
    const rcol = new Array<number>(Q.length + 1).fill(0);
    const q = Float64Array.from(col);
    for (let pass = 0; pass < 2; pass++) {
      for (let t = 0; t < Q.length; t++) {
        const qt = Q[t]!;
        let d = 0;
        for (let i = 0; i < m; i++) d += qt[i]! * q[i]!;
        rcol[t] = rcol[t]! + d;
        for (let i = 0; i < m; i++) q[i] = q[i]! - d * qt[i]!;
      }
    }
    const qn = norm2(q);
    if (qn < 1e-12) {
      chosen[best] = 1; // linearly dependent column: skip it
      continue;
    }
    for (let i = 0; i < m; i++) q[i] = q[i]! / qn;
    rcol[Q.length] = qn;
    Q.push(q);
    R.push(rcol);
    support.push(best);
    chosen[best] = 1;
    let d = 0;
    for (let i = 0; i < m; i++) d += q[i]! * r[i]!;
    for (let i = 0; i < m; i++) r[i] = r[i]! - d * q[i]!;
  }
  // coefficients: R c = Qᵀ y (back substitution)
  const s = support.length;
  const qty = new Float64Array(s);
  for (let t = 0; t < s; t++) {
    let d = 0;
    const qt = Q[t]!;
    for (let i = 0; i < m; i++) d += qt[i]! * y[i]!;
    qty[t] = d;
  }
  const c = new Float64Array(s);
  for (let t = s - 1; t >= 0; t--) {
    let v = qty[t]!;
    for (let u = t + 1; u < s; u++) v -= R[u]![t]! * c[u]!;
    c[t] = v / R[t]![t]!;
  }
  const x = new Float64Array(n);
  for (let t = 0; t < s; t++) x[support[t]!] = c[t]!;
  return x;
}

// ---------------------------------------------------------------------------------------------
// ISTA / FISTA

export interface LassoOptions {
  /** final λ as a fraction of ‖Aᵀy‖∞ (λ ≥ that makes x̂ = 0); default 1e-6 */
  lambdaFinal?: number;
  /** first λ of the continuation, as a fraction of ‖Aᵀy‖∞; default 0.5 */
  lambdaStart?: number;
  /** continuation stages (λ shrinks geometrically between start and final) */
  stages?: number;
  /** iteration cap per stage */
  itersPerStage?: number;
  /** stop a stage when ‖x_{t+1} − x_t‖ ≤ tol·‖x_t‖ */
  tol?: number;
  /** false: plain ISTA; true: FISTA (Nesterov momentum with restart-free t-sequence) */
  accelerated?: boolean;
  /** precomputed ‖A‖₂² */
  L?: number;
  /** called with (iteration, objective) every iteration of the last stage (for convergence plots) */
  onIter?: (t: number, objective: number) => void;
}

function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/** ½‖Ax−y‖² + λ‖x‖₁ */
export function lassoObjective(A: Mat, y: Float64Array, x: Float64Array, lambda: number): number {
  const r = matVec(A, x);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i]! - y[i]!) ** 2;
  let l1 = 0;
  for (let j = 0; j < x.length; j++) l1 += Math.abs(x[j]!);
  return 0.5 * s + lambda * l1;
}

/**
 * Proximal gradient for the LASSO with λ-continuation: x ← S_{λ/L}(z − Aᵀ(Az − y)/L), where z = x
 * (ISTA) or the Nesterov extrapolation (FISTA). Warm-started across stages.
 */
export function lasso(A: Mat, y: Float64Array, opts: LassoOptions = {}): Float64Array {
  const n = A.n;
  const L = opts.L ?? spectralNormSq(A);
  const g0 = matTVec(A, y);
  let lmax = 0;
  for (let j = 0; j < n; j++) lmax = Math.max(lmax, Math.abs(g0[j]!));
  const stages = opts.stages ?? 12;
  const lam0 = (opts.lambdaStart ?? 0.5) * lmax;
  const lam1 = (opts.lambdaFinal ?? 1e-6) * lmax;
  const iters = opts.itersPerStage ?? 300;
  const tol = opts.tol ?? 1e-7;
  const accel = opts.accelerated ?? true;
  let x = new Float64Array(n);
  for (let s = 0; s < stages; s++) {
    const lambda = stages === 1 ? lam1 : lam0 * Math.pow(lam1 / lam0, s / (stages - 1));
    const thr = lambda / L;
    let z = Float64Array.from(x);
    let t = 1;
    const last = s === stages - 1;
    for (let it = 0; it < iters; it++) {
      const r = matVec(A, z);
      for (let i = 0; i < r.length; i++) r[i] = r[i]! - y[i]!;
      const g = matTVec(A, r);
      const xn = new Float64Array(n);
      let dn = 0;
      let xnn = 0;
      for (let j = 0; j < n; j++) {
        xn[j] = softThreshold(z[j]! - g[j]! / L, thr);
        dn += (xn[j]! - x[j]!) ** 2;
        xnn += x[j]! ** 2;
      }
      if (accel) {
        const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        const beta = (t - 1) / tn;
        for (let j = 0; j < n; j++) z[j] = xn[j]! + beta * (xn[j]! - x[j]!);
        t = tn;
      } else {
        z = xn;
      }
      x = xn;
      if (last && opts.onIter) opts.onIter(it, lassoObjective(A, y, x, lambda));
      if (!(last && opts.onIter) && Math.sqrt(dn) <= tol * Math.sqrt(xnn) && it > 5) break;
    }
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Normalised iterative hard thresholding

/** Keep the k largest |v_j|, zero the rest (ties broken by index). Returns the support mask. */
export function hardThreshold(v: Float64Array, k: number): Uint8Array {
  const idx = Array.from({ length: v.length }, (_, j) => j);
  idx.sort((p, q) => Math.abs(v[q]!) - Math.abs(v[p]!) || p - q);
  const mask = new Uint8Array(v.length);
  for (let i = 0; i < k && i < idx.length; i++) mask[idx[i]!] = 1;
  for (let j = 0; j < v.length; j++) if (!mask[j]) v[j] = 0;
  return mask;
}

/**
 * NIHT (Blumensath & Davies 2010): step μ = ‖g_S‖²/‖A g_S‖² on the current support S; if the
 * support changes and the step is too long for the restricted isometry (ω test), halve it.
 */
export function iht(A: Mat, y: Float64Array, k: number, iters = 300, tol = 1e-10): Float64Array {
  const n = A.n;
  let x = new Float64Array(n);
  // initial support from the k largest correlations
  let g = matTVec(A, y);
  const x0 = Float64Array.from(g);
  let S = hardThreshold(x0, k);
  const ynorm = norm2(y);
  for (let it = 0; it < iters; it++) {
    const r = matVec(A, x);
    for (let i = 0; i < r.length; i++) r[i] = y[i]! - r[i]!;
    if (norm2(r) <= tol * ynorm) break;
    g = matTVec(A, r);
    const gS = new Float64Array(n);
    for (let j = 0; j < n; j++) if (S[j]) gS[j] = g[j]!;
    const AgS = matVec(A, gS);
    const num = norm2(gS) ** 2;
    const den = norm2(AgS) ** 2;
    let mu = den > 0 ? num / den : 1;
    let xn = new Float64Array(n);
    let Sn = S;
    for (let back = 0; back < 30; back++) {
      xn = new Float64Array(n);
      for (let j = 0; j < n; j++) xn[j] = x[j]! + mu * g[j]!;
      Sn = hardThreshold(xn, k);
      let same = true;
      for (let j = 0; j < n; j++) if (Sn[j] !== S[j]) same = false;
      if (same) break;
      const d = new Float64Array(n);
      for (let j = 0; j < n; j++) d[j] = xn[j]! - x[j]!;
      const Ad = matVec(A, d);
      const omega = 0.99 * norm2(d) ** 2 / Math.max(norm2(Ad) ** 2, 1e-300);
      if (mu <= omega) break;
      mu /= 2;
    }
    x = xn;
    S = Sn;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// The theoretical ℓ1 phase transition

const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT2PI;
}

/** Standard normal upper tail Q(z) = Φ(−z) = ½ erfc(z/√2), via a continued fraction / series (|err| < 1e-14). */
export function normalTail(z: number): number {
  if (z < 0) return 1 - normalTail(-z);
  if (z < 3) {
    // Φ(z) − ½ by the series z·φ(z)·Σ z^{2k}/(1·3·…·(2k+1))
    let term = z;
    let sum = z;
    for (let k = 1; k < 200; k++) {
      term *= (z * z) / (2 * k + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 0.5 - phi(z) * sum;
  }
  // Laplace continued fraction (Lentz), converges fast for z ≥ 3
  let f = z;
  const tiny = 1e-300;
  let C = z;
  let D = 0;
  for (let k = 1; k < 300; k++) {
    D = z + k * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = z + k / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return phi(z) / f;
}

/**
 * The asymptotic ℓ1 phase transition ρ(δ) (Donoho & Tanner 2009's weak threshold of the
 * cross-polytope for signed signals, of the simplex for nonnegative ones), computed from the
 * equivalent minimax formula of Donoho, Maleki & Montanari (2009, PNAS, "Message-passing
 * algorithms for compressed sensing", eq. 2.5), which they prove traces the same curve:
 *
 *   ρ(δ) = max_{z≥0} [1 − (κ/δ)·((1+z²)Φ(−z) − zφ(z))] / [1 + z² − κ·((1+z²)Φ(−z) − zφ(z))],
 *
 * κ = 2 for signed, 1 for nonnegative signals. The maximum over z is found by golden-section
 * search on a bracket found by a coarse scan (the objective is unimodal in z). Checked in the
 * tests against the tabulated values δ = 0.1, 0.25, 0.5 → ρ ≈ 0.189, 0.267, 0.386.
 */
export function l1PhaseTransition(delta: number, nonnegative = false): number {
  const kappa = nonnegative ? 1 : 2;
  const f = (z: number) => {
    const psi = (1 + z * z) * normalTail(z) - z * phi(z);
    return (1 - (kappa / delta) * psi) / (1 + z * z - kappa * psi);
  };
  // coarse scan
  let bestZ = 0;
  let bestV = -Infinity;
  for (let z = 0; z <= 6; z += 0.01) {
    const v = f(z);
    if (v > bestV) {
      bestV = v;
      bestZ = z;
    }
  }
  let lo = Math.max(0, bestZ - 0.01);
  let hi = bestZ + 0.01;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const c = hi - gr * (hi - lo);
    const d = lo + gr * (hi - lo);
    if (f(c) > f(d)) hi = d;
    else lo = c;
  }
  return Math.max(0, f((lo + hi) / 2));
}

// ---------------------------------------------------------------------------------------------
// DCT (orthonormal DCT-II) for the sub-Nyquist demo

/** The n×n orthonormal inverse-DCT synthesis matrix Ψ (x_time = Ψ c), row-major. */
export function idctMatrix(n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let t = 0; t < n; t++) {
    for (let f = 0; f < n; f++) {
      const s = f === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
      M[t * n + f] = s * Math.cos((Math.PI * (2 * t + 1) * f) / (2 * n));
    }
  }
  return M;
}
