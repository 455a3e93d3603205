/**
 * Weight quantization in plain JavaScript (float64 arithmetic over float32 weights).
 *
 * A weight matrix W is stored GPT-2 style as [I, J] = [in, out] (Conv1D layout); a "channel" is an
 * output column j, a "group" is G consecutive inputs of one column.
 * - Round-to-nearest (RTN), symmetric: s = max|w| / (2^(b−1) − 1), q = clamp(round(w/s)), ŵ = s·q.
 * - RTN, asymmetric: s = (max − min)/(2^b − 1), z = round(−min/s), q = clamp(round(w/s) + z, 0, 2^b − 1),
 *   ŵ = s·(q − z).
 * - GPTQ (Frantar et al. 2022): quantize the rows (inputs) of W one at a time and spread each row's
 *   error over the rows not yet quantized, weighted by the inverse Hessian H = XᵀX/N of the layer's
 *   inputs X, so the layer's output XW moves as little as possible.
 * The real rate is the empirical entropy of the integer codes (what an entropy coder would pay),
 * plus the side information (scales, zero points: 16 bits each).
 */

export type Granularity = 'tensor' | 'channel' | 'group';

export interface QuantSpec {
  bits: number;
  symmetric: boolean;
  granularity: Granularity;
  /** inputs per group (granularity 'group') */
  groupSize?: number;
}

export interface QuantResult {
  /** dequantized weights ŵ, [I, J] */
  w: Float32Array;
  /** integer codes, [I, J] */
  q: Int32Array;
  /** number of (scale[, zero]) parameters stored */
  sideParams: number;
}

/** The index sets sharing one scale: returns, for element (i, j), its group id, and the count. */
function groupOf(I: number, J: number, g: Granularity, G: number): { id: (i: number, j: number) => number; count: number } {
  if (g === 'tensor') return { id: () => 0, count: 1 };
  if (g === 'channel') return { id: (_i, j) => j, count: J };
  const per = Math.ceil(I / G);
  return { id: (i, j) => j * per + Math.floor(i / G), count: J * per };
}

/** The (scale, zero) of every group from the weights' range. */
function scalesFor(w: ArrayLike<number>, I: number, J: number, spec: QuantSpec): { scale: Float64Array; zero: Float64Array; id: (i: number, j: number) => number; count: number } {
  const { id, count } = groupOf(I, J, spec.granularity, spec.groupSize ?? 64);
  const lo = new Float64Array(count).fill(Infinity);
  const hi = new Float64Array(count).fill(-Infinity);
  for (let i = 0; i < I; i++)
    for (let j = 0; j < J; j++) {
      const g = id(i, j);
      const v = w[i * J + j]!;
      if (v < lo[g]!) lo[g] = v;
      if (v > hi[g]!) hi[g] = v;
    }
  const scale = new Float64Array(count);
  const zero = new Float64Array(count);
  const b = spec.bits;
  for (let g = 0; g < count; g++) {
    if (spec.symmetric) {
      const m = Math.max(Math.abs(lo[g]!), Math.abs(hi[g]!));
      scale[g] = m > 0 ? m / (2 ** (b - 1) - 1) : 1;
    } else {
      const range = hi[g]! - lo[g]!;
      scale[g] = range > 0 ? range / (2 ** b - 1) : 1;
      zero[g] = Math.round(-lo[g]! / scale[g]!);
    }
  }
  return { scale, zero, id, count };
}

function quantOne(v: number, s: number, z: number, spec: QuantSpec): number {
  const b = spec.bits;
  if (spec.symmetric) {
    const qmax = 2 ** (b - 1) - 1;
    const q = Math.round(v / s);
    return q > qmax ? qmax : q < -qmax ? -qmax : q;
  }
  const q = Math.round(v / s) + z;
  const qmax = 2 ** b - 1;
  return q > qmax ? qmax : q < 0 ? 0 : q;
}

/** Round-to-nearest quantization of W [I, J]. */
export function quantizeRTN(w: ArrayLike<number>, I: number, J: number, spec: QuantSpec): QuantResult {
  const { scale, zero, id, count } = scalesFor(w, I, J, spec);
  const out = new Float32Array(I * J);
  const q = new Int32Array(I * J);
  for (let i = 0; i < I; i++)
    for (let j = 0; j < J; j++) {
      const g = id(i, j);
      const k = quantOne(w[i * J + j]!, scale[g]!, zero[g]!, spec);
      q[i * J + j] = k;
      out[i * J + j] = scale[g]! * (k - zero[g]!);
    }
  return { w: out, q, sideParams: count * (spec.symmetric ? 1 : 2) };
}

/** Empirical entropy of integer codes, bits per code. */
export function codeEntropy(q: Int32Array): number {
  const counts = new Map<number, number>();
  for (const v of q) counts.set(v, (counts.get(v) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / q.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

export function variance(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i]!;
  m /= a.length;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return s / a.length;
}

/** In-place Cholesky of a symmetric positive-definite n×n matrix (lower triangle L, A = L Lᵀ). */
export function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (s <= 0) throw new Error('matrix is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  return L;
}

/** Inverse of an SPD matrix from its Cholesky factor. */
export function spdInverse(A: Float64Array, n: number): Float64Array {
  const L = cholesky(A, n);
  // inv(L) by forward substitution, then inv(A) = inv(L)ᵀ inv(L)
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += L[i * n + k]! * Li[k * n + j]!;
      Li[i * n + j] = -s / L[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k * n + i]! * Li[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  return inv;
}

/**
 * GPTQ for W [I, J] given H = XᵀX/N [I, I] of the layer's inputs. Scales come from the original
 * weights (same grid as RTN with the same spec, so the comparison isolates the error feedback).
 * Dampening: H + λ·mean(diag H)·I. Uses the upper Cholesky factor U of H⁻¹ (H⁻¹ = UᵀU) as in
 * the paper: after quantizing row i, rows k > i move by −(w_i − ŵ_i)·U[i,k]/U[i,i].
 */
export function quantizeGPTQ(w: ArrayLike<number>, I: number, J: number, H: Float64Array, spec: QuantSpec, damp = 0.01): QuantResult {
  const Hd = Float64Array.from(H);
  let meanDiag = 0;
  for (let i = 0; i < I; i++) meanDiag += Hd[i * I + i]!;
  meanDiag /= I;
  for (let i = 0; i < I; i++) {
    // dead inputs (never active): keep them out of the solve
    if (Hd[i * I + i] === 0) Hd[i * I + i] = 1;
    Hd[i * I + i] = Hd[i * I + i]! + damp * meanDiag;
  }
  const Hinv = spdInverse(Hd, I);
  // the upper factor U with H⁻¹ = UᵀU is Lᵀ for the lower Cholesky factor L of H⁻¹
  const Lh = cholesky(Hinv, I);
  const Up = new Float64Array(I * I); // Up = Lhᵀ is upper with Hinv = Upᵀ Up
  for (let a = 0; a < I; a++) for (let b = a; b < I; b++) Up[a * I + b] = Lh[b * I + a]!;
  const { scale, zero, id, count } = scalesFor(w, I, J, spec);
  const W = Float64Array.from(w as ArrayLike<number>);
  const out = new Float32Array(I * J);
  const q = new Int32Array(I * J);
  const err = new Float64Array(J);
  for (let i = 0; i < I; i++) {
    const d = Up[i * I + i]!;
    for (let j = 0; j < J; j++) {
      const g = id(i, j);
      const k = quantOne(W[i * J + j]!, scale[g]!, zero[g]!, spec);
      q[i * J + j] = k;
      const wq = scale[g]! * (k - zero[g]!);
      out[i * J + j] = wq;
      err[j] = (W[i * J + j]! - wq) / d;
    }
    for (let r = i + 1; r < I; r++) {
      const u = Up[i * I + r]!;
      if (u === 0) continue;
      for (let j = 0; j < J; j++) W[r * J + j] = W[r * J + j]! - err[j]! * u;
    }
  }
  return { w: out, q, sideParams: count * (spec.symmetric ? 1 : 2) };
}

/** ‖XW − XŴ‖²_F / N computed through H = XᵀX/N: tr(ΔWᵀ H ΔW). */
export function outputError(w: ArrayLike<number>, wq: ArrayLike<number>, I: number, J: number, H: Float64Array): number {
  let s = 0;
  const d = new Float64Array(I);
  for (let j = 0; j < J; j++) {
    for (let i = 0; i < I; i++) d[i] = w[i * J + j]! - wq[i * J + j]!;
    for (let a = 0; a < I; a++) {
      if (d[a] === 0) continue;
      let t = 0;
      for (let b = 0; b < I; b++) t += H[a * I + b]! * d[b]!;
      s += d[a]! * t;
    }
  }
  return s;
}
