/**
 * The Fastfood transform (Le, Sarlós & Smola 2013), as Li et al. (2018) use it to project a
 * d-dimensional z into the D parameters of a large network without storing a dense D×d matrix.
 *
 * One block of size L = 2^k (the smallest power of two ≥ d) is
 *
 *   V = S · H · G · Π · H · B            (L×L)
 *
 * with H the (unnormalised, ±1) Walsh–Hadamard matrix, B a diagonal of random signs, Π a random
 * permutation, G a diagonal of standard Gaussians and S a diagonal scaling. Every row of H·G·Π·H·B
 * has the same norm √L·‖G‖_F (H Hᵀ = L·I), so S_ii = s_i / (√L·‖G‖_F) with s_i ~ χ_L gives each row
 * of V the length distribution of a row of an L×L standard Gaussian matrix — Le et al.'s choice.
 * ⌈D/L⌉ independent blocks are stacked and cut to D rows; z (length d ≤ L) is zero-padded to L.
 * The whole map is divided by √D, so P's columns have length ≈ 1 and ‖Pz‖ ≈ ‖z‖ ("approximately
 * orthonormal columns", as the dense P of Li et al. with unit-norm columns).
 *
 *   P z   = (1/√D) [V₁; V₂; …] [z; 0]                 O(D log L) time, O(D) memory
 *   Pᵀ y  = (1/√D) Σ_b first d of (Bᵀ H Πᵀ G H S)_b y_b   (the exact adjoint: H, G, S, B are symmetric)
 *
 * Plain TypeScript on Float64Array: nothing here touches tfjs.
 */
import type { Rng } from '../../engine/rng.js';

export interface Fastfood {
  /** output dimension (the network's parameter count) */
  D: number;
  /** input dimension (the subspace) */
  d: number;
  /** block size, a power of two ≥ d */
  L: number;
  /** ⌈D / L⌉ */
  blocks: number;
  /** per block, concatenated (blocks·L each): signs ±1, permutation (within a block), Gaussian diagonal, scaling */
  B: Float64Array;
  perm: Int32Array;
  G: Float64Array;
  S: Float64Array;
  /** 1/√D */
  scale: number;
}

/** In-place unnormalised fast Walsh–Hadamard transform of a[off … off+L) (L a power of two). */
export function fwht(a: Float64Array, off: number, L: number): void {
  for (let h = 1; h < L; h <<= 1) {
    for (let i = 0; i < L; i += h << 1) {
      for (let j = off + i; j < off + i + h; j++) {
        const x = a[j]!;
        const y = a[j + h]!;
        a[j] = x + y;
        a[j + h] = x - y;
      }
    }
  }
}

function nextPow2(n: number): number {
  let L = 1;
  while (L < n) L <<= 1;
  return L;
}

/** A χ_L sample: exact (√ of a sum of L squared normals) for L ≤ 256, Wilson–Hilferty beyond. */
function chi(L: number, rng: Rng): number {
  if (L <= 256) {
    let s = 0;
    for (let i = 0; i < L; i++) s += rng.normal() ** 2;
    return Math.sqrt(s);
  }
  const c = 2 / (9 * L);
  const t = 1 - c + rng.normal() * Math.sqrt(c);
  return Math.sqrt(L * Math.max(t, 0) ** 3);
}

/** A random Fastfood projection R^d → R^D. */
export function makeFastfood(D: number, d: number, rng: Rng): Fastfood {
  if (!(Number.isInteger(D) && Number.isInteger(d) && D >= 1 && d >= 1)) throw new Error(`makeFastfood: D and d must be positive integers, got ${D}, ${d}`);
  const L = nextPow2(d);
  const blocks = Math.ceil(D / L);
  const B = new Float64Array(blocks * L);
  const perm = new Int32Array(blocks * L);
  const G = new Float64Array(blocks * L);
  const S = new Float64Array(blocks * L);
  for (let b = 0; b < blocks; b++) {
    const o = b * L;
    for (let i = 0; i < L; i++) B[o + i] = rng.next() < 0.5 ? -1 : 1;
    const p = rng.permutation(L);
    for (let i = 0; i < L; i++) perm[o + i] = p[i]!;
    let g2 = 0;
    for (let i = 0; i < L; i++) {
      const g = rng.normal();
      G[o + i] = g;
      g2 += g * g;
    }
    const norm = Math.sqrt(L * g2);
    for (let i = 0; i < L; i++) S[o + i] = chi(L, rng) / norm;
  }
  return { D, d, L, blocks, B, perm, G, S, scale: 1 / Math.sqrt(D) };
}

/** P z (length D). `out` may be given to avoid an allocation. */
export function fastfoodApply(ff: Fastfood, z: ArrayLike<number>, out: Float64Array = new Float64Array(ff.D)): Float64Array {
  const { L, d, D } = ff;
  if (z.length !== d) throw new Error(`fastfoodApply: z has length ${z.length}, expected ${d}`);
  const v = new Float64Array(L);
  const w = new Float64Array(L);
  for (let b = 0; b < ff.blocks; b++) {
    const o = b * L;
    v.fill(0);
    for (let i = 0; i < d; i++) v[i] = ff.B[o + i]! * z[i]!; // B
    fwht(v, 0, L); // H
    for (let i = 0; i < L; i++) w[i] = ff.G[o + i]! * v[ff.perm[o + i]!]!; // G Π
    fwht(w, 0, L); // H
    const n = Math.min(L, D - o);
    for (let i = 0; i < n; i++) out[o + i] = ff.scale * ff.S[o + i]! * w[i]!; // S, 1/√D
  }
  return out;
}

/** Pᵀ y (length d): the adjoint of {@link fastfoodApply}. */
export function fastfoodApplyT(ff: Fastfood, y: ArrayLike<number>, out: Float64Array = new Float64Array(ff.d)): Float64Array {
  const { L, d, D } = ff;
  if (y.length !== D) throw new Error(`fastfoodApplyT: y has length ${y.length}, expected ${D}`);
  out.fill(0);
  const u = new Float64Array(L);
  const v = new Float64Array(L);
  for (let b = 0; b < ff.blocks; b++) {
    const o = b * L;
    const n = Math.min(L, D - o);
    u.fill(0);
    for (let i = 0; i < n; i++) u[i] = ff.scale * ff.S[o + i]! * y[o + i]!; // Sᵀ
    fwht(u, 0, L); // Hᵀ = H
    for (let i = 0; i < L; i++) v[ff.perm[o + i]!] = ff.G[o + i]! * u[i]!; // Πᵀ Gᵀ (scatter)
    fwht(v, 0, L); // H
    for (let i = 0; i < d; i++) out[i]! += ff.B[o + i]! * v[i]!; // Bᵀ, keep the first d
  }
  return out;
}
