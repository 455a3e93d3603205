import { describe, it, expect } from 'vitest';
import { Rng } from '../../../src/engine/rng.js';
import { quantizeRTN, quantizeGPTQ, codeEntropy, mse, outputError, spdInverse } from '../../../src/lenses/compression/quantizers.js';
import { allocateBits, gaussianDR, slope } from '../../../src/lenses/compression/quantization.js';

describe('round-to-nearest quantization', () => {
  it('has error Δ²/12 on a uniform source (within 2%) and gains 6.02 dB per bit', () => {
    const rng = new Rng(1);
    const n = 200000;
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = rng.uniform(-1, 1);
    const snr: number[] = [];
    for (const bits of [4, 6, 8]) {
      const r = quantizeRTN(w, n, 1, { bits, symmetric: true, granularity: 'tensor' });
      let m = 0;
      for (const v of w) m = Math.max(m, Math.abs(v));
      const delta = m / (2 ** (bits - 1) - 1);
      const d = mse(w, r.w);
      expect(Math.abs(d / (delta ** 2 / 12) - 1)).toBeLessThan(0.02);
      snr.push(10 * Math.log10(1 / 3 / d));
      // a uniform source fills the levels uniformly: entropy ≈ log2(levels)
      expect(codeEntropy(r.q)).toBeGreaterThan(Math.log2(2 ** bits - 1) - 0.05);
    }
    // at low widths the symmetric grid (2^b − 1 levels over 2·max) gains a little more than 6.02 dB/bit;
    // at high rate every extra bit halves Δ: 6.02 dB
    const hi = [8, 10, 12].map((bits) => 10 * Math.log10(1 / 3 / mse(w, quantizeRTN(w, n, 1, { bits, symmetric: false, granularity: 'tensor' }).w)));
    expect(Math.abs(slope([8, 10, 12], hi) - 6.02)).toBeLessThan(0.05);
    expect(slope([4, 6, 8], snr)).toBeGreaterThan(6.02);
  });
  it('asymmetric codes stay in [0, 2^b − 1]; per-channel beats per-tensor on columns of different scale', () => {
    const rng = new Rng(2);
    const I = 64;
    const J = 8;
    const w = new Float32Array(I * J);
    for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) w[i * J + j] = rng.normal() * (j + 1) ** 2 + 0.3;
    const a = quantizeRTN(w, I, J, { bits: 3, symmetric: false, granularity: 'tensor' });
    expect(Math.min(...a.q)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.q)).toBeLessThanOrEqual(7);
    const t = mse(w, quantizeRTN(w, I, J, { bits: 4, symmetric: true, granularity: 'tensor' }).w);
    const c = mse(w, quantizeRTN(w, I, J, { bits: 4, symmetric: true, granularity: 'channel' }).w);
    const g = quantizeRTN(w, I, J, { bits: 4, symmetric: true, granularity: 'group', groupSize: 16 });
    expect(c).toBeLessThan(t);
    expect(g.sideParams).toBe(J * 4);
  });
});

describe('GPTQ', () => {
  it('lowers the layer-output error ‖XW − XŴ‖² against RTN on correlated inputs', () => {
    const rng = new Rng(3);
    const I = 32;
    const J = 16;
    const N = 400;
    // correlated inputs: x = A z
    const A = Float64Array.from({ length: I * I }, () => rng.normal());
    const H = new Float64Array(I * I);
    for (let s = 0; s < N; s++) {
      const z = Float64Array.from({ length: I }, () => rng.normal());
      const x = new Float64Array(I);
      for (let a = 0; a < I; a++) for (let b = 0; b < I; b++) x[a] = x[a]! + A[a * I + b]! * z[b]! * (b < 4 ? 3 : 0.3);
      for (let a = 0; a < I; a++) for (let b = 0; b < I; b++) H[a * I + b] = H[a * I + b]! + (x[a]! * x[b]!) / N;
    }
    const w = Float32Array.from({ length: I * J }, () => rng.normal() * 0.1);
    for (const bits of [4, 3]) {
      const spec = { bits, symmetric: true, granularity: 'channel' as const };
      const eR = outputError(w, quantizeRTN(w, I, J, spec).w, I, J, H);
      const eG = outputError(w, quantizeGPTQ(w, I, J, H, spec).w, I, J, H);
      expect(eG).toBeLessThan(0.8 * eR);
    }
  });
  it('inverts an SPD matrix', () => {
    const M = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]);
    const inv = spdInverse(M, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += M[i * 3 + k]! * inv[k * 3 + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
  });
});

describe('mixed precision and verdicts', () => {
  it('allocates bits under the budget, more to the sensitive tensor', () => {
    const bitsOpt = [2, 3, 4, 6, 8];
    const costs = [bitsOpt.map((b) => 100 * 2 ** (-2 * b)), bitsOpt.map((b) => 2 ** (-2 * b))];
    const alloc = allocateBits(costs, [1000, 1000], bitsOpt, 4);
    expect((alloc[0]! + alloc[1]!) / 2).toBeLessThanOrEqual(4);
    expect(alloc[0]!).toBeGreaterThan(alloc[1]!);
  });
  it('the Gaussian D(R) bound', () => {
    expect(gaussianDR(1)).toBeCloseTo(0.25, 12);
  });
});
