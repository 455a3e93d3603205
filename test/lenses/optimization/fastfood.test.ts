import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng.js';
import { fastfoodApply, fastfoodApplyT, fwht, makeFastfood, type Fastfood } from '../../../src/lenses/optimization/fastfood.js';
import { bpcGain, dIntercept, unigramBpc } from '../../../src/lenses/optimization/intrinsic-dimension.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const randVec = (n: number, rng: Rng) => Float64Array.from({ length: n }, () => rng.normal());

/** Sylvester Hadamard entry H_ij = (−1)^popcount(i & j). */
const had = (i: number, j: number) => {
  let x = i & j;
  let c = 0;
  while (x) {
    c += x & 1;
    x >>= 1;
  }
  return c % 2 ? -1 : 1;
};

/**
 * The D×d matrix written out from the definition, column by column, with dense matrices:
 * column j = (1/√D) [S H G Π H B]_b e_j stacked over blocks — no FWHT involved.
 */
function denseFromFactors(ff: Fastfood): Float64Array {
  const { D, d, L } = ff;
  const M = new Float64Array(D * d); // row-major D×d
  for (let j = 0; j < d; j++) {
    for (let b = 0; b < ff.blocks; b++) {
      const o = b * L;
      // u = H B e_j: column j of H times B_j
      const u = Float64Array.from({ length: L }, (_, i) => had(i, j) * ff.B[o + j]!);
      // w = G Π u  (Π: (Πu)_i = u_perm[i])
      const w = Float64Array.from({ length: L }, (_, i) => ff.G[o + i]! * u[ff.perm[o + i]!]!);
      for (let i = 0; i < L && o + i < D; i++) {
        let s = 0;
        for (let k = 0; k < L; k++) s += had(i, k) * w[k]!;
        M[(o + i) * d + j] = ff.scale * ff.S[o + i]! * s;
      }
    }
  }
  return M;
}

describe('Fastfood transform', () => {
  it('FWHT matches the dense Hadamard matrix and H·H = L·I', () => {
    const L = 16;
    const x = randVec(L, new Rng(1));
    const y = Float64Array.from(x);
    fwht(y, 0, L);
    for (let i = 0; i < L; i++) {
      let s = 0;
      for (let k = 0; k < L; k++) s += had(i, k) * x[k]!;
      expect(y[i]).toBeCloseTo(s, 12);
    }
    fwht(y, 0, L);
    for (let i = 0; i < L; i++) expect(y[i]! / L).toBeCloseTo(x[i]!, 12);
  });

  it('equals a dense reference matrix built column by column from S, H, G, Π, B (D not a multiple of L)', () => {
    const ff = makeFastfood(100, 12, new Rng(3)); // L = 16, 7 blocks, the last cut to 4 rows
    expect(ff.L).toBe(16);
    expect(ff.blocks).toBe(7);
    const M = denseFromFactors(ff);
    const rng = new Rng(4);
    const z = randVec(12, rng);
    const y = randVec(100, rng);
    const Pz = fastfoodApply(ff, z);
    const Pty = fastfoodApplyT(ff, y);
    for (let r = 0; r < 100; r++) {
      let s = 0;
      for (let j = 0; j < 12; j++) s += M[r * 12 + j]! * z[j]!;
      expect(Math.abs(Pz[r]! - s)).toBeLessThan(1e-12);
    }
    for (let j = 0; j < 12; j++) {
      let s = 0;
      for (let r = 0; r < 100; r++) s += M[r * 12 + j]! * y[r]!;
      expect(Math.abs(Pty[j]! - s)).toBeLessThan(1e-12);
    }
  });

  it('Pᵀ is the adjoint of P: ⟨Px, y⟩ = ⟨x, Pᵀy⟩ to 1e-10', () => {
    for (const [D, d, seed] of [
      [1000, 37, 1],
      [28576, 300, 2],
      [5000, 4096, 3],
    ] as const) {
      const ff = makeFastfood(D, d, new Rng(seed));
      const rng = new Rng(seed + 10);
      const x = randVec(d, rng);
      const y = randVec(D, rng);
      const lhs = dot(fastfoodApply(ff, x), y);
      const rhs = dot(x, fastfoodApplyT(ff, y));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10);
    }
  });

  it('is orthogonal-ish (Li et al.): ‖Pz‖ ≈ ‖z‖, columns of unit length, nearly orthogonal', () => {
    const D = 8192;
    const d = 64;
    const ff = makeFastfood(D, d, new Rng(7));
    // ‖Pz‖/‖z‖ for random z: close to 1
    const rng = new Rng(8);
    const ratios: number[] = [];
    for (let t = 0; t < 20; t++) {
      const z = randVec(d, rng);
      ratios.push(Math.sqrt(dot(fastfoodApply(ff, z), fastfoodApply(ff, z)) / dot(z, z)));
    }
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.1);
    // PᵀP ≈ I: column norms within 10% of 1, off-diagonal cosines ≲ 4/√D
    const cols: Float64Array[] = [];
    for (let j = 0; j < d; j++) {
      const e = new Float64Array(d);
      e[j] = 1;
      cols.push(fastfoodApply(ff, e));
    }
    let maxOff = 0;
    let sq = 0;
    let pairs = 0;
    for (let i = 0; i < d; i++) {
      expect(Math.abs(Math.sqrt(dot(cols[i]!, cols[i]!)) - 1)).toBeLessThan(0.1);
      for (let j = 0; j < i; j++) {
        const c = dot(cols[i]!, cols[j]!);
        maxOff = Math.max(maxOff, Math.abs(c));
        sq += c * c;
        pairs++;
      }
    }
    // off-diagonal inner products of size √2/√D: within a block, columns j, k meet as
    // L·Σ_i g_i²·(±1) (Hadamard columns multiply to another one), and Var(g²) = 2 — a factor √2 above
    // independent Gaussian columns (1/√D), still vanishing as D grows
    const rms = Math.sqrt(sq / pairs) * Math.sqrt(D);
    expect(rms).toBeGreaterThan(1.15);
    expect(rms).toBeLessThan(1.7);
    expect(maxOff).toBeLessThan(7 / Math.sqrt(D));
    // the norm is preserved whatever d (one big block when d > D/2)
    const big = makeFastfood(3000, 2500, new Rng(9));
    const zb = randVec(2500, rng);
    expect(Math.abs(Math.sqrt(dot(fastfoodApply(big, zb), fastfoodApply(big, zb)) / dot(zb, zb)) - 1)).toBeLessThan(0.15);
  });
});

describe('GPT intrinsic-dimension bookkeeping', () => {
  it('unigram bpc, bpc gain and the d_int90 intercept', () => {
    // a two-symbol source with p = (3/4, 1/4): add-one smoothing on 4000 draws ≈ the entropy 0.811 bits
    const train = Int32Array.from({ length: 4000 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    expect(unigramBpc(train, train, 2)).toBeCloseTo(0.8113, 3);
    expect(bpcGain(4.8, 3.5, 3.5)).toBeCloseTo(1, 12);
    expect(bpcGain(4.8, 3.5, 4.8)).toBeCloseTo(0, 12);
    expect(bpcGain(4.8, 3.5, 3.63)).toBeCloseTo(0.9, 12);
    const rows = [
      { d: 10, perf: 0.2 },
      { d: 100, perf: 0.8 },
      { d: 1000, perf: 1.0 },
    ];
    const r = dIntercept(rows, 0.9);
    expect(r.first).toBe(1000);
    expect(r.interp).toBeCloseTo(Math.sqrt(100 * 1000), 6); // halfway in log d
    expect(dIntercept(rows, 1.5).first).toBe(Infinity);
    expect(dIntercept(rows, 0.1).first).toBe(10);
  });
});
